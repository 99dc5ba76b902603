using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Thopter.Agent.Seed;

/// <summary>
/// Opens a file for reading without following a symlink (a path swapped for a link between listing and opening must
/// not lead outside the folder) and without blocking (opening a FIFO for reading would wait for a writer forever).
/// .NET offers neither flag, hence open(2) itself.
/// </summary>
internal static partial class NoFollowOpen
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;

    // O_NOFOLLOW differs between Linux architectures: 0400000 on x86-64, 0100000 on arm64 (asm-generic's arm layout).
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>
    /// A stream on the regular file at <paramref name="path"/>, or null when it is anything else (link, FIFO, socket) or is
    /// gone. A FIFO opened without blocking is told apart by not being seekable (.NET exposes no file type on a handle).
    /// </summary>
    public static FileStream? RegularFile(string path)
    {
        var fd = Open(path, ReadOnly | NonBlocking | CloseOnExec | NoFollow);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Eloop or Enxio or Enotdir
                ? null
                : throw new IOException($"cannot open {path}: errno {errno}", errno);
        }

        var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            return null;
        }

        return stream;
    }

    private const int Enoent = 2;
    private const int Enxio = 6;
    private const int Enotdir = 20;
    private const int Eloop = 40;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
