using System.Runtime.InteropServices;
using System.Text;
using Thopter.Shared.IO;

namespace Thopter.Laptop.Conflicts.Store;

/// <summary>
/// link(2): atomic, and it fails rather than replace (unlike rename(2)), so nothing in the store is ever overwritten.
/// renameat2(2) RENAME_EXCHANGE on Linux, renamex_np(2) RENAME_SWAP on macOS: two names swapped in one step.
/// </summary>
public sealed class FileLinks : IFileLinks
{
    // Linux and macOS share these errno values.
    private const int EPERM = 1;
    private const int EEXIST = 17;
    private const int EXDEV = 18;
    private const int EMLINK = 31;
    private const int ENOTSUP_LINUX = 95;
    private const int ENOTSUP_MAC = 45;
    private const int EINVAL = 22;
    private const int ENOSYS = 38;
    private const int AT_FDCWD = -100;
    private const uint RENAME_EXCHANGE = 2;
    private const uint RENAME_SWAP = 2;

    public bool TryLink(string source, string target)
    {
        if (Link(Native(source), Native(target)) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            EEXIST => throw new FileAlreadyExistsException(target),
            EXDEV or EPERM or EMLINK or ENOTSUP_LINUX or ENOTSUP_MAC => false,
            _ => throw new IOException($"cannot link {source} to {target}: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
    }

    public bool TryExchange(string first, string second)
    {
        var mac = OperatingSystem.IsMacOS();
        try
        {
            var done = mac
                ? RenameSwap(Native(first), Native(second), RENAME_SWAP)
                : RenameAt2(AT_FDCWD, Native(first), AT_FDCWD, Native(second), RENAME_EXCHANGE);
            if (done == 0)
            {
                return true;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than the call (glibc before 2.28).
            return false;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            EINVAL or ENOSYS or ENOTSUP_LINUX or ENOTSUP_MAC => false,
            _ => throw new IOException($"cannot swap {first} and {second}: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
    }

    private static byte[] Native(string path) => Encoding.UTF8.GetBytes(path + '\0');

    // byte[] arguments are pinned, not marshalled: no generated stub or unsafe code needed under NativeAOT.
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link(byte[] source, byte[] target);

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int RenameAt2(int oldDirectory, byte[] oldPath, int newDirectory, byte[] newPath, uint flags);

    [DllImport("libc", EntryPoint = "renamex_np", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int RenameSwap(byte[] from, byte[] to, uint flags);
}
