using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Thopter.Tests.Harness.Network;

/// <summary>
/// TCP sockets opened inside a named network namespace (/run/netns/NAME) by this process: a socket belongs to the
/// namespace it was created in, so a short-lived thread enters the namespace (setns), creates it and ends. The
/// process itself, and every other thread, stays where it was; no address is needed in the host's namespace.
/// </summary>
public static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>A TCP socket of <paramref name="family"/> created in <paramref name="netns"/>.</summary>
    public static Socket Create(string netns, AddressFamily family = AddressFamily.InterNetwork)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // The thread ends right after, so it never has to find its way back to the host's namespace.
                using var handle = File.OpenHandle(Path.Combine("/run/netns", netns), FileMode.Open, FileAccess.Read);
                if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new IOException($"setns into network namespace {netns} failed (errno {Marshal.GetLastPInvokeError()}): run as root");
                }

                socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or SocketException)
            {
                failure = error;
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new IOException($"no socket in network namespace {netns}: {failure?.Message}", failure);
    }

    /// <summary>A socket listening on <paramref name="endpoint"/> inside <paramref name="netns"/>.</summary>
    public static Socket Listen(string netns, IPEndPoint endpoint) =>
        DelayingProxy.Listen(Create(netns, endpoint.AddressFamily), endpoint);

    /// <summary>Connects to <paramref name="endpoint"/> from inside <paramref name="netns"/>.</summary>
    public static Func<CancellationToken, Task<Socket>> ConnectTo(string netns, IPEndPoint endpoint) => async ct =>
    {
        var socket = Create(netns, endpoint.AddressFamily);
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };

    /// <summary>An HTTP handler whose connections are opened inside <paramref name="netns"/> (e.g. a SyncThing REST API on the namespace's loopback).</summary>
    public static SocketsHttpHandler HttpHandler(string netns) => new()
    {
        UseProxy = false,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var socket = await ConnectTo(netns, new IPEndPoint(addresses[0], context.DnsEndPoint.Port))(ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int nstype);
}
