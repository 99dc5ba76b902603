using System.Net.Sockets;
using Grpc.Net.Client;
using Thopter.Laptop.Daemon.Api;
using DaemonApi = Thopter.Laptop.Daemon.Api.Daemon;

namespace Thopter.Laptop.Daemon.Client;

/// <summary>A gRPC channel to the daemon's unix socket (no TCP anywhere).</summary>
public sealed class DaemonConnection : IDisposable
{
    private readonly GrpcChannel channel;

    public DaemonConnection(string socketPath)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        // The authority is never resolved: every connection goes through the callback above.
        channel = GrpcChannel.ForAddress("http://thopter-daemon", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        Api = new DaemonApi.DaemonClient(channel);
    }

    public string SocketPath { get; }

    public DaemonApi.DaemonClient Api { get; }

    /// <summary>The daemon's version, or null when nothing answers on the socket.</summary>
    public async Task<VersionReply?> TryVersionAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(SocketPath))
        {
            return null;
        }

        try
        {
            return await Api.GetVersionAsync(new VersionRequest(), deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Grpc.Core.RpcException error) when (error.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.Internal or Grpc.Core.StatusCode.Unimplemented)
        {
            return null;
        }
    }

    public void Dispose() => channel.Dispose();
}
