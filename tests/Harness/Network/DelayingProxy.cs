using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Thopter.Tests.Harness.Network;

/// <summary>
/// A TCP proxy that holds every chunk it reads for a fixed delay before writing it on, in each direction: the WAN
/// latency the kernel here cannot add (no netem). Each accepted connection gets its own upstream connection from
/// <c>connect</c> (which may open it in another network namespace); a half-close is passed on after the data before it,
/// and a reset or error on either side closes both.
/// </summary>
public sealed class DelayingProxy : IAsyncDisposable
{
    private const int ChunkBytes = 64 * 1024;

    // At most this many chunks wait in one direction: a slow reader stalls the writer instead of filling memory.
    private const int QueuedChunks = 256;

    private readonly Socket listener;
    private readonly Func<CancellationToken, Task<Socket>> connect;
    private readonly TimeSpan delay;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> connections = [];
    private readonly Task accepting;

    private DelayingProxy(Socket listener, Func<CancellationToken, Task<Socket>> connect, TimeSpan delay)
    {
        this.listener = listener;
        this.connect = connect;
        this.delay = delay;
        accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)listener.LocalEndPoint!;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <param name="listener">A bound, listening socket; the proxy owns it from now on.</param>
    /// <param name="connect">Opens the upstream connection for one accepted client.</param>
    /// <param name="delay">How long each chunk waits before it is written on, per direction.</param>
    public static DelayingProxy Start(Socket listener, Func<CancellationToken, Task<Socket>> connect, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new DelayingProxy(listener, connect, delay);
    }

    /// <summary>A proxy listening on <paramref name="listen"/> in this process's own network namespace.</summary>
    public static DelayingProxy Start(IPEndPoint listen, Func<CancellationToken, Task<Socket>> connect, TimeSpan delay) =>
        Start(Listen(new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp), listen), connect, delay);

    /// <summary>Binds and listens <paramref name="socket"/> on <paramref name="endpoint"/>.</summary>
    public static Socket Listen(Socket socket, IPEndPoint endpoint)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(64);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects a fresh TCP socket to <paramref name="endpoint"/> (from this process's namespace).</summary>
    public static Func<CancellationToken, Task<Socket>> To(IPEndPoint endpoint) => async ct =>
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
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

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Accepted++;
            lock (connections)
            {
                connections.RemoveAll(c => c.IsCompleted);
                connections.Add(CarryAsync(client));
            }
        }
    }

    private async Task CarryAsync(Socket client)
    {
        using (client)
        {
            Socket upstream;
            try
            {
                upstream = await connect(stop.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or IOException)
            {
                return;
            }

            using (upstream)
            {
                // Stopping the proxy closes both sockets, so no pump stays blocked on a peer that neither reads nor writes.
                using var closeOnStop = stop.Token.Register(() =>
                {
                    client.Dispose();
                    upstream.Dispose();
                });
                client.NoDelay = true;
                upstream.NoDelay = true;

                // Either direction failing (a reset, the proxy stopping) ends the connection: both sockets close.
                using var broken = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                await Task.WhenAll(PumpAsync(client, upstream, broken), PumpAsync(upstream, client, broken));
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, CancellationTokenSource broken)
    {
        var queue = Channel.CreateBounded<(long Due, byte[] Bytes, int Count)>(new BoundedChannelOptions(QueuedChunks) { SingleReader = true, SingleWriter = true });
        try
        {
            await Task.WhenAll(ReadAsync(from, queue.Writer, broken.Token), WriteAsync(queue.Reader, to, broken.Token));
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
            await broken.CancelAsync();
        }
    }

    private async Task ReadAsync(Socket from, ChannelWriter<(long Due, byte[] Bytes, int Count)> queue, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var buffer = new byte[ChunkBytes];
                var count = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (count == 0)
                {
                    break;
                }

                await queue.WriteAsync((Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency), buffer, count), ct);
            }
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private static async Task WriteAsync(ChannelReader<(long Due, byte[] Bytes, int Count)> queue, Socket to, CancellationToken ct)
    {
        await foreach (var (due, bytes, count) in queue.ReadAllAsync(ct))
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            for (var sent = 0; sent < count;)
            {
                sent += await to.SendAsync(bytes.AsMemory(sent, count - sent), SocketFlags.None, ct);
            }
        }

        // The sender half-closed after everything queued before it: pass the FIN on, the other direction keeps going.
        to.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        await accepting;
        Task[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        await Task.WhenAll(open);
        stop.Dispose();
    }
}
