using Microsoft.Win32.SafeHandles;

namespace Thopter.Agent.Tunnel;

/// <summary>
/// File descriptors 0 and 1 as raw, unbuffered streams that this process owns: disposing the output closes fd 1, which
/// is how the tunnel half-closes towards the laptop (Console's streams never close the descriptor).
/// </summary>
public static class ProcessStdio
{
    public static (Stream Input, Stream Output) Open() =>
        (new FileStream(new SafeFileHandle(0, ownsHandle: true), FileAccess.Read, bufferSize: 0),
         new FileStream(new SafeFileHandle(1, ownsHandle: true), FileAccess.Write, bufferSize: 0));
}
