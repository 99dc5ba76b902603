using System.Net;
using System.Net.Sockets;

namespace Thopter.Tests.Harness;

/// <summary>
/// Free TCP ports on 127.0.0.1. The kernel picks an unused port; a process-wide set makes sure two
/// fixtures in one test run never receive the same one even before either has bound it.
/// </summary>
public static class FreePort
{
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Gate)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free 127.0.0.1 port found in 100 attempts");
    }
}
