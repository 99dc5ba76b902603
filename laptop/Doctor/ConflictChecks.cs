using System.Globalization;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Conflicts.Collection;

namespace Thopter.Laptop.Doctor;

/// <summary>`doctor`'s look at the conflict store: each open conflict of every laptop folder as a warning with the command that settles it.</summary>
public static class ConflictChecks
{
    public static IReadOnlyList<DoctorCheck> Run(ConflictStore store, IReadOnlyList<CollectionTarget> folders)
    {
        IReadOnlyList<FoundConflict> open;
        try
        {
            open = [.. folders.SelectMany(f => store.Open(f.FolderId).Select(r => new FoundConflict(f, r)))];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [DoctorCheck.Fail("conflicts", $"cannot read the conflict store {store.Root}: {error.Message}", "check that directory's permissions (it is yours, mode 0700)")];
        }

        if (open.Count == 0)
        {
            return [DoctorCheck.Ok("conflicts", "no open conflicts")];
        }

        // With several folders a relative path may be open in two of them: name each by its full path.
        var several = folders.Count > 1;
        return [.. open.Select(f => (f.Record, File: several ? f.FullPath : f.Record.Original, Copy: several ? Path.Combine(f.Target.FolderPath, f.Record.Copy) : f.Record.Copy)).Select(c => new DoctorCheck(
            $"conflict {c.File}",
            CheckOutcome.Warn,
            $"{c.Record.Current.Who}'s version is in the folder, {c.Record.Aside.Who}'s set aside on {(c.Record.ConflictTime ?? c.Record.CollectedAt.LocalDateTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}",
            $"`thopter sync conflicts show {c.File}`, then `thopter sync conflicts resolve {c.Copy} --keep current|aside|both`"))];
    }
}
