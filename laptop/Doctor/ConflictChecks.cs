using System.Globalization;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Folders;

namespace Thopter.Laptop.Doctor;

/// <summary>`doctor`'s look at the conflict store: each open conflict as a warning with the command that settles it.</summary>
public static class ConflictChecks
{
    public static IReadOnlyList<DoctorCheck> Run(ConflictStore store, SyncSection settings)
    {
        IReadOnlyList<ConflictRecord> open;
        try
        {
            open = store.Open(FolderName.FolderIdOf(settings.FolderName!));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [DoctorCheck.Fail("conflicts", $"cannot read the conflict store {store.Root}: {error.Message}", "check that directory's permissions (it is yours, mode 0700)")];
        }

        if (open.Count == 0)
        {
            return [DoctorCheck.Ok("conflicts", "no open conflicts")];
        }

        return [.. open.Select(r => new DoctorCheck(
            $"conflict {r.Original}",
            CheckOutcome.Warn,
            $"{r.Current.Who}'s version is in the folder, {r.Aside.Who}'s set aside on {(r.ConflictTime ?? r.CollectedAt.LocalDateTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}",
            $"`thopter sync conflicts show {r.Original}`, then `thopter sync conflicts resolve {r.Copy} --keep current|aside|both`"))];
    }
}
