using System.Runtime.InteropServices;

namespace Thopter.Shared.Acceleration.Inotify;

/// <summary>The Linux calls behind <see cref="InotifyChangeSource"/>: inotify itself, and an eventfd to wake its reader.</summary>
internal static unsafe partial class InotifyNative
{
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;

    public const uint Modify = 0x2;
    public const uint Attrib = 0x4;
    public const uint CloseWrite = 0x8;
    public const uint MovedFrom = 0x40;
    public const uint MovedTo = 0x80;
    public const uint Create = 0x100;
    public const uint Delete = 0x200;
    public const uint DeleteSelf = 0x400;
    public const uint MoveSelf = 0x800;
    public const uint QueueOverflow = 0x4000;
    public const uint Ignored = 0x8000;
    public const uint OnlyDirectory = 0x01000000;
    public const uint DontFollow = 0x02000000;
    public const uint ExcludeUnlinked = 0x04000000;
    public const uint IsDirectory = 0x40000000;

    public const short PollIn = 0x1;

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EMFILE = 24;
    public const int ENOSPC = 28;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int Init(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddWatch(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    public static partial int RemoveWatch(int fd, int wd);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);
}
