using System.Globalization;

namespace Thopter.Laptop.Conflicts;

public enum KeepChoice
{
    Local,
    Remote,
    Both,
}

/// <summary>
/// What resolving did: where the kept version now is, where the discarded one went (null for "both"), and for "both"
/// where the conflict copy went and whether it holds this laptop's version (else the devbox's).
/// </summary>
public sealed record Resolution(string Kept, string? DiscardedTo, string? BothCopy, bool CopyWasLocal);

/// <summary>
/// Resolves one conflict without losing either version. The version not kept is moved (a rename, nothing copied or
/// deleted) into <c>.stversions/thopter-resolved/TIME/</c> inside the synced folder: SyncThing treats everything under
/// .stversions as internal and never scans or syncs it, so the discarded version stays on this laptop only and does not
/// come back as a new file. "Local" is this laptop's version, "remote" the devbox's. SyncThing tags a conflict copy
/// with the device whose change won (the one now in the original file; the copy holds the version it replaced, see
/// moveForConflict(name, file.ModifiedBy) in SyncThing's folder_sendrecv.go), so a copy tagged with this laptop holds
/// the remote version and any other copy holds the local one.
/// </summary>
public static class ConflictResolver
{
    public const string TrashDirectory = ".stversions/thopter-resolved";

    public static Resolution Resolve(string folderPath, ConflictFile conflict, KeepChoice keep, string laptopShortId, DateTimeOffset now)
    {
        var copy = Path.Combine(folderPath, conflict.RelativePath);
        var original = Path.Combine(folderPath, conflict.OriginalRelativePath);
        var copyIsLocal = conflict.Name.ShortDeviceId != laptopShortId;
        var trash = Path.Combine(folderPath, TrashDirectory, now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

        if (keep == KeepChoice.Both)
        {
            // Named after whose version it holds: the loser's, not the device in its SyncThing name (the winner).
            var both = FreeName(Path.Combine(Path.GetDirectoryName(original)!, WithTag(Path.GetFileName(original), copyIsLocal ? "from-laptop" : "from-devbox")));
            File.Move(copy, both);
            return new Resolution(original, null, both, copyIsLocal);
        }

        var keepCopy = (keep == KeepChoice.Local) == copyIsLocal;
        if (!keepCopy)
        {
            var discarded = MoveToTrash(copy, conflict.RelativePath, trash);
            return new Resolution(original, discarded, null, copyIsLocal);
        }

        string? replaced = null;
        if (File.Exists(original))
        {
            replaced = MoveToTrash(original, conflict.OriginalRelativePath, trash);
        }

        File.Move(copy, original);
        return new Resolution(original, replaced, null, copyIsLocal);
    }

    private static string MoveToTrash(string path, string relative, string trash)
    {
        var target = FreeName(Path.Combine(trash, relative));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(path, target);
        return target;
    }

    // name.ext -> name.TAG.ext, the way SyncThing tags conflict copies.
    private static string WithTag(string fileName, string tag)
    {
        var ext = Path.GetExtension(fileName);
        return $"{fileName[..^ext.Length]}.{tag}{ext}";
    }

    private static string FreeName(string path)
    {
        var candidate = path;
        for (var n = 2; File.Exists(candidate) || Directory.Exists(candidate); n++)
        {
            candidate = WithTag(path, n.ToString(CultureInfo.InvariantCulture));
        }

        return candidate;
    }
}
