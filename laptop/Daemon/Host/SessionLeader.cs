using System.Runtime.InteropServices;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// A daemon started by a CLI leaves the CLI's session and process group, so Ctrl-C or a closing terminal that
/// stops the CLI does not stop the daemon too.
/// </summary>
public static class SessionLeader
{
    public static void Become()
    {
        // Fails only when this process already leads a process group, which is then good enough.
        _ = SetSid();
    }

    // A plain DllImport: an int-returning call without arguments needs no marshalling (LibraryImport would need unsafe code).
    [DllImport("libc", EntryPoint = "setsid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetSid();
}
