using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Thopter.Tests.Harness.Network;
using Xunit;

namespace Thopter.Tests.HarnessTests;

/// <summary>The WAN bench's delaying proxy on loopback: it delays each way, carries bytes both ways intact, passes a half-close on.</summary>
public sealed class DelayingProxyTests : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly Socket server = DelayingProxy.Listen(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), new IPEndPoint(IPAddress.Loopback, 0));

    public ValueTask DisposeAsync()
    {
        server.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_round_trip_takes_at_least_the_delay_each_way()
    {
        await using var proxy = DelayingProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), DelayingProxy.To((IPEndPoint)server.LocalEndPoint!), TimeSpan.FromMilliseconds(150));
        using var client = await ConnectAsync(proxy);
        using var peer = await server.AcceptAsync().WaitAsync(Bound);
        await client.SendAsync(new byte[] { 1 });
        var clock = Stopwatch.StartNew();
        Assert.Equal(1, (await ReceiveExactlyAsync(peer, 1))[0]);
        var oneWay = clock.Elapsed;
        await peer.SendAsync(new byte[] { 2 });
        Assert.Equal(2, (await ReceiveExactlyAsync(client, 1))[0]);
        var roundTrip = clock.Elapsed;

        // Lower bounds only (a loaded machine adds time, never removes it); 5 ms of slack for the timer's granularity.
        Assert.True(oneWay >= TimeSpan.FromMilliseconds(145), $"client -> server took {oneWay.TotalMilliseconds:0} ms, not the 150 ms delay");
        Assert.True(roundTrip >= TimeSpan.FromMilliseconds(290), $"round trip took {roundTrip.TotalMilliseconds:0} ms, not 2 x 150 ms");
    }

    [Fact]
    public async Task Carries_a_megabyte_each_way_intact_at_once()
    {
        await using var proxy = DelayingProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), DelayingProxy.To((IPEndPoint)server.LocalEndPoint!), TimeSpan.FromMilliseconds(5));
        using var client = await ConnectAsync(proxy);
        using var peer = await server.AcceptAsync().WaitAsync(Bound);
        var up = RandomNumberGenerator.GetBytes(1 << 20);
        var down = RandomNumberGenerator.GetBytes(1 << 20);

        var sending = Task.WhenAll(SendAllAsync(client, up), SendAllAsync(peer, down));
        var received = await Task.WhenAll(ReceiveExactlyAsync(peer, up.Length), ReceiveExactlyAsync(client, down.Length)).WaitAsync(Bound);
        await sending.WaitAsync(Bound);

        Assert.Equal(up, received[0]);
        Assert.Equal(down, received[1]);
        Assert.Equal(1, proxy.Accepted);
    }

    [Fact]
    public async Task A_half_close_arrives_after_the_data_and_the_other_direction_keeps_flowing()
    {
        await using var proxy = DelayingProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), DelayingProxy.To((IPEndPoint)server.LocalEndPoint!), TimeSpan.FromMilliseconds(20));
        using var client = await ConnectAsync(proxy);
        using var peer = await server.AcceptAsync().WaitAsync(Bound);

        await client.SendAsync("request"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("request"u8.ToArray(), await ReceiveToEndAsync(peer).WaitAsync(Bound));

        // The server answers after it saw the client's end of stream, then closes: the client gets both.
        await SendAllAsync(peer, "reply"u8.ToArray());
        peer.Shutdown(SocketShutdown.Send);
        Assert.Equal("reply"u8.ToArray(), await ReceiveToEndAsync(client).WaitAsync(Bound));
    }

    [Fact]
    public async Task A_client_whose_upstream_refuses_is_closed_and_the_proxy_keeps_accepting()
    {
        var closedPort = ((IPEndPoint)server.LocalEndPoint!).Port;
        server.Dispose();
        await using var proxy = DelayingProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), DelayingProxy.To(new IPEndPoint(IPAddress.Loopback, closedPort)), TimeSpan.Zero);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var client = await ConnectAsync(proxy);
            Assert.Empty(await ReceiveToEndAsync(client).WaitAsync(Bound));
        }

        Assert.Equal(2, proxy.Accepted);
    }

    private static async Task<Socket> ConnectAsync(DelayingProxy proxy)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(proxy.Endpoint);
        return client;
    }

    private static async Task SendAllAsync(Socket socket, byte[] bytes)
    {
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent));
        }
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int length)
    {
        var buffer = new byte[length];
        for (var read = 0; read < length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            read += n > 0 ? n : throw new IOException($"end of stream after {read} of {length} bytes");
        }

        return buffer;
    }

    private static async Task<byte[]> ReceiveToEndAsync(Socket socket)
    {
        using var all = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            all.Write(buffer, 0, n);
        }

        return all.ToArray();
    }
}
