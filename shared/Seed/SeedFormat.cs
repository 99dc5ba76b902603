using System.Text;

namespace Thopter.Shared.Seed;

/// <summary>
/// The seed stream `thopter-agent pack` writes and `thopter sync pair` reads: a framed stream of a folder's non-ignored
/// entries, parents before children. Little-endian throughout:
/// <code>
/// stream  = magic ("THSEED1\n") entry* end
/// entry   = kind (1 byte 'D' | 'F' | 'L') pathLen (u16) path (UTF-8) mode (u16) mtime (i64, ticks since the Unix epoch)
///           [ 'F': size (i64) bytes[size] status (1 byte) ] [ 'L': targetLen (u16) target (UTF-8) ]
/// end     = 'E' entries (i64) bytes (i64)
/// </code>
/// A file's status is <see cref="Intact"/> when its bytes are the file as it was when packing began, else
/// <see cref="ChangedWhilePacking"/> (the bytes are padding and the reader discards them): the writer commits to a size
/// before reading, and a file written meanwhile must not arrive as a mix of two versions. The end record carries the
/// counts, so a stream cut short is told apart from a small folder.
/// </summary>
public static class SeedFormat
{
    public const byte End = (byte)'E';
    public const byte Intact = 0;
    public const byte ChangedWhilePacking = 1;

    /// <summary>Longest path or link target in bytes (Linux's PATH_MAX).</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>Permission bits carried: rwx for user, group and other.</summary>
    public const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    public static ReadOnlySpan<byte> Magic => "THSEED1\n"u8;

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
