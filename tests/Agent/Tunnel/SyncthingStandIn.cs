using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Thopter.Tests.Shared;

namespace Thopter.Tests.Agent.Tunnel;

/// <summary>
/// A loopback listener the test drives, standing where SyncThing's sync listener is. The tunnel carries bytes only to a
/// listener held by the process that serves its home (`serve ... --home=HOME`, agent/Tunnel/ListenerOwner), so the
/// listening socket is also handed to a process with that command line (a shell script called serve that inherits it,
/// waits on its stdin and does nothing with the socket); the test keeps accepting on it. The refusal of any other holder is checked
/// without this.
/// </summary>
public sealed class SyncthingStandIn : IDisposable
{
    private const int GetFlags = 1;
    private const int SetFlags = 2;
    private const int CloseOnExec = 1;

    private static readonly Lock Inheriting = new();
    private readonly Process holder;
    private readonly TempDirectory script = new();

    public SyncthingStandIn(string syncthingHome)
    {
        Listener = new TcpListener(IPAddress.Loopback, 0);
        Listener.Start();
        File.WriteAllText(script.Combine("serve"), "read line\n");
        var fd = (int)Listener.Server.Handle;
        lock (Inheriting)
        {
            var flags = Fcntl(fd, GetFlags, 0);
            Fcntl(fd, SetFlags, flags & ~CloseOnExec);
            try
            {
                // `sh serve --home=HOME` runs the script ./serve, so argv reads as SyncThing's: BINARY serve ... --home=HOME.
                holder = Process.Start(new ProcessStartInfo("/bin/sh", ["serve", $"--home={syncthingHome}"]) { UseShellExecute = false, RedirectStandardInput = true, WorkingDirectory = script.Path })!;
            }
            finally
            {
                Fcntl(fd, SetFlags, flags);
            }
        }
    }

    public TcpListener Listener { get; }

    public int Port => ((IPEndPoint)Listener.LocalEndpoint).Port;

    public void Dispose()
    {
        holder.Kill();
        holder.WaitForExit();
        holder.Dispose();
        Listener.Stop();
        Listener.Dispose();
        script.Dispose();
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
}
