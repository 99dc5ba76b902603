using Thopter.Laptop.Errors;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Folders;

/// <summary>What `init --folder NAME [--own] [--adopt]` may do with the folders already recorded.</summary>
public static class FolderKinds
{
    public static void Check(SyncSection settings, string name, bool own, bool adopt)
    {
        var recorded = settings.Folder(name);
        if (own && adopt)
        {
            throw new ThopterException(ErrorKind.BadInput, "--own and --adopt do not go together: an own folder is one new SyncThing folder per devbox", "leave one of them out");
        }

        if (own && recorded is { IsOwn: false })
        {
            throw new ThopterException(
                ErrorKind.BadInput,
                $"folder \"{name}\" is a shared folder: it cannot become an own folder (its SyncThing folder and every share would change)",
                $"choose another name for the own folder, e.g. `thopter sync init --folder {name}-own --own`");
        }

        if (own && settings.Primary is null)
        {
            throw new ThopterException(
                ErrorKind.BadInput,
                "an own folder needs a shared folder first (the default folder, which status, pair and the daemon start from)",
                "run `thopter sync init` (or `init --folder NAME`) first, then `thopter sync init --folder " + name + " --own`");
        }
    }
}
