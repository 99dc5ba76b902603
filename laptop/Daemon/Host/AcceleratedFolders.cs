using Thopter.Laptop.Pairing;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>The laptop's SyncThing folders the daemon accelerates: each shared folder, and each own folder of each devbox that syncs it.</summary>
public static class AcceleratedFolders
{
    public static IReadOnlyList<(string Id, string LaptopPath)> Of(SyncSection settings, string home)
    {
        var folders = settings.Folders.Where(f => !f.IsOwn).Select(f => FolderShare.Locate(f, string.Empty, home)).ToList();
        foreach (var (devbox, entry) in settings.Devboxes)
        {
            folders.AddRange(settings.FoldersOf(entry).Where(f => f.IsOwn).Select(f => FolderShare.Locate(f, devbox, home)));
        }

        return folders;
    }
}
