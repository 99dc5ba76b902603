using System.Runtime.InteropServices;

namespace Thopter.Agent.Install;

/// <summary>
/// rename(2) itself: atomically replaces a symlink (File.Move refuses a symlink to a directory) and moves directories.
/// </summary>
internal static partial class AtomicRename
{
    public static void Replace(string source, string destination)
    {
        if (Rename(source, destination) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"rename {source} -> {destination} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>Points <paramref name="link"/> at <paramref name="target"/> in one step: a fresh symlink renamed over the old one.</summary>
    public static void SwapSymlink(string link, string target)
    {
        var temp = $"{link}.{Guid.NewGuid():N}.tmp";
        File.CreateSymbolicLink(temp, target);
        try
        {
            Replace(temp, link);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string oldPath, string newPath);
}
