namespace Thopter.Shared.Seed;

/// <summary>What a seed stream carries: a directory, a regular file (its bytes follow) or a symbolic link (never followed).</summary>
public enum SeedEntryKind : byte
{
    Directory = (byte)'D',
    File = (byte)'F',
    Symlink = (byte)'L',
}

/// <summary>
/// One entry of a seed stream. <see cref="Path"/> is relative to the folder with '/' separators; <see cref="Mode"/> holds the
/// permission bits only (0-0777: no setuid, setgid or sticky bit crosses machines); <see cref="ModifiedUtc"/> is kept to
/// the tick (100 ns). <see cref="Size"/> is the file's length (0 otherwise); <see cref="LinkTarget"/> a symlink's target.
/// </summary>
public sealed record SeedEntry(SeedEntryKind Kind, string Path, UnixFileMode Mode, DateTime ModifiedUtc, long Size = 0, string? LinkTarget = null);
