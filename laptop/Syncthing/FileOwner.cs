using System.Runtime.InteropServices;
using System.Text;

namespace Thopter.Laptop.Syncthing;

/// <summary>A file's owner from statx(2), whose layout is the same on every Linux architecture (macOS has no statx: no owner check there).</summary>
internal static class FileOwner
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;
    private const int UidOffset = 20;
    private const int StatxSize = 256;

    public static uint CurrentUser => GetEffectiveUserId();

    public static uint? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[StatxSize];
        var name = Encoding.UTF8.GetBytes(path + "\0");
        if (Statx(AtFdCwd, name, 0, StatxUid, buffer) != 0)
        {
            // Unreadable metadata: the read that follows reports the real error in its own words.
            return null;
        }

        return BitConverter.ToUInt32(buffer, UidOffset);
    }

    // Plain DllImports: blittable arrays and ints need no generated marshalling (LibraryImport would need unsafe code).
    [DllImport("libc", EntryPoint = "statx")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directoryFd, byte[] path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEffectiveUserId();
}
