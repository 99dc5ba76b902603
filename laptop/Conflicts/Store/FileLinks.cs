using System.Runtime.InteropServices;
using System.Text;
using Thopter.Shared.IO;

namespace Thopter.Laptop.Conflicts.Store;

/// <summary>link(2): atomic, and it fails rather than replace (unlike rename(2)), so nothing in the store is ever overwritten.</summary>
public sealed class FileLinks : IFileLinks
{
    // Linux and macOS share these errno values.
    private const int EPERM = 1;
    private const int EEXIST = 17;
    private const int EXDEV = 18;
    private const int EMLINK = 31;
    private const int ENOTSUP_LINUX = 95;
    private const int ENOTSUP_MAC = 45;

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

    private static byte[] Native(string path) => Encoding.UTF8.GetBytes(path + '\0');

    // byte[] arguments are pinned, not marshalled: no generated stub or unsafe code needed under NativeAOT.
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link(byte[] source, byte[] target);
}
