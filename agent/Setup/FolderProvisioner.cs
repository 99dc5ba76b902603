using Thopter.Shared.Ignore;
using Thopter.Shared.IO;

namespace Thopter.Agent.Setup;

/// <summary>
/// The synced folder itself: the directory, SyncThing's folder marker (so SyncThing accepts the existing directory
/// as the folder's root) and .stignore merged with our defaults (the user's own bytes are kept, and backed up inside the marker).
/// </summary>
public static class FolderProvisioner
{
    public const string MarkerName = StIgnore.FolderMarker;

    /// <summary>Returns true when anything was created or changed.</summary>
    public static bool Ensure(string folderPath)
    {
        var changed = !Directory.Exists(folderPath);
        Directory.CreateDirectory(folderPath);
        var marker = Path.Combine(folderPath, MarkerName);
        if (!Directory.Exists(marker))
        {
            Directory.CreateDirectory(marker);
            changed = true;
        }

        var ignorePath = Path.Combine(folderPath, StIgnore.FileName);
        var existing = File.Exists(ignorePath) ? File.ReadAllBytes(ignorePath) : null;
        changed |= AtomicFile.Write(ignorePath, StIgnore.MergeBytes(existing), AtomicFile.PublicMode, StIgnore.BackupPathIn(folderPath));
        return changed;
    }
}
