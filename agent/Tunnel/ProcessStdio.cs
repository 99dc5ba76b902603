using Microsoft.Win32.SafeHandles;
using Thopter.Agent.Systemd;

namespace Thopter.Agent.Tunnel;

/// <summary>The raw stdin/stdout a tunnel copies, and how it ends stdout for the reader on the other side.</summary>
public sealed record TunnelStdio(Stream Input, Stream Output, Action CloseOutput);

/// <summary>
/// File descriptors 0 and 1 as unbuffered streams. Ending stdout points fd 1 at /dev/null (dup2) instead of closing it:
/// the pipe's write end goes away, so the laptop reads end-of-file, while fd 1 stays valid, because .NET's console
/// initialisation (on the first stderr write) dup()s fd 1 and aborts the process when it is closed.
/// </summary>
public static class ProcessStdio
{
    public static TunnelStdio Open()
    {
        var output = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        return new TunnelStdio(
            new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0),
            output,
            () =>
            {
                output.Flush();
                using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
                if (Libc.Dup2((int)devNull.DangerousGetHandle(), 1) < 0)
                {
                    throw new IOException($"dup2(/dev/null, 1) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
                }
            });
    }
}
