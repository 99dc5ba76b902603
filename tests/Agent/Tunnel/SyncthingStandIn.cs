using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Thopter.Tests.Agent.Tunnel;

/// <summary>
/// A loopback listener the test drives, standing where SyncThing's sync listener is. The tunnel carries bytes only to a
/// listener this user's <c>syncthing</c> process holds (agent/Tunnel/ListenerOwner), so the listening socket is also
/// handed to a process whose executable is named syncthing (a copy of sleep that inherits it and does nothing with it);
/// the test keeps accepting on it. The tunnel's refusal of a listener no syncthing holds is checked without this.
/// </summary>
public sealed class SyncthingStandIn : IDisposable
{
    private const int GetFlags = 1;
    private const int SetFlags = 2;
    private const int CloseOnExec = 1;

    private static readonly Lock Inheriting = new();
    private readonly string directory = Directory.CreateTempSubdirectory("thopter-standin-").FullName;
    private readonly Process holder;

    public SyncthingStandIn()
    {
        Listener = new TcpListener(IPAddress.Loopback, 0);
        Listener.Start();
        var binary = Path.Combine(directory, "syncthing");
        File.Copy("/usr/bin/sleep", binary);
        var fd = (int)Listener.Server.Handle;
        lock (Inheriting)
        {
            var flags = Fcntl(fd, GetFlags, 0);
            Fcntl(fd, SetFlags, flags & ~CloseOnExec);
            try
            {
                holder = Process.Start(new ProcessStartInfo(binary, "600") { UseShellExecute = false })!;
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
        Directory.Delete(directory, recursive: true);
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);
}
