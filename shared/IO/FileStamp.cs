namespace Thopter.Shared.IO;

/// <summary>
/// A regular file's size and modification time: taken twice a moment apart, equal stamps say nobody is writing it (a
/// file SyncThing renames into place arrives whole, one still growing is someone else's write).
/// </summary>
public readonly record struct FileStamp(long Size, DateTime Modified)
{
    /// <summary>The stamp of <paramref name="path"/>; null when it is missing or a symbolic link.</summary>
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
    }
}
