using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Laptop.Transport;
using Thopter.Shared.Processes;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon.Tunnel;

/// <summary>
/// The daemon's listener with real child processes: the transport prefix is `env PATH=DIR:...`, and DIR's
/// `thopter-agent` is a shell script standing in for the devbox end (the real agent's tunnel has its own tests and the
/// end-to-end test runs both): here it echoes (cat) or fails the way the agent does.
/// </summary>
public sealed class TunnelListenerTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private (TunnelListener Listener, TunnelHealth Health) Listener(string script)
    {
        var agent = dir.Combine("thopter-agent");
        File.WriteAllText(agent, "#!/bin/sh\n" + script + "\n");
        File.SetUnixFileMode(agent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var transport = new DevboxTransport("box1", ["env", $"PATH={dir.Path}:/usr/bin:/bin"], new ProcessRunner());
        var health = new TunnelHealth(TimeProvider.System);
        return (new TunnelListener(transport, TunnelListener.AgentTunnel(null), new TunnelProcesses(), health, NullLogger.Instance), health);
    }

    private static async Task<(Socket Client, Socket Accepted)> ConnectedPairAsync(CancellationToken cancellationToken)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)server.LocalEndpoint, cancellationToken);
        return (client, await server.AcceptSocketAsync(cancellationToken));
    }

    [Fact]
    public async Task A_connection_is_carried_both_ways_and_the_laptop_side_half_close_reaches_the_child()
    {
        using var timeout = new CancellationTokenSource(Generous);
        var (listener, health) = Listener("exec cat");
        var (client, accepted) = await ConnectedPairAsync(timeout.Token);
        using var _ = client;
        var carrying = listener.CarryAsync(accepted, timeout.Token);

        var payload = Enumerable.Range(0, 1_000_000).Select(i => (byte)(i * 7)).ToArray();
        var echoed = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[65536];
            int read;
            while ((read = await client.ReceiveAsync(buffer, timeout.Token)) > 0)
            {
                echoed.Write(buffer, 0, read);
            }
        });
        await client.SendAsync(payload, timeout.Token);
        Assert.Equal(1, health.Open);
        client.Shutdown(SocketShutdown.Send);

        // cat sees end of file, exits, and its end of stdout reaches the laptop side as end of stream.
        await reading;
        var outcome = await carrying;
        Assert.Equal(payload, echoed.ToArray());
        Assert.True(outcome.Reached);
        Assert.Null(outcome.Failure);
        Assert.Equal(0, health.Open);
    }

    [Fact]
    public async Task A_devbox_end_that_fails_closes_the_connection_and_is_reported_with_its_stderr_line()
    {
        using var timeout = new CancellationTokenSource(Generous);
        var (listener, health) = Listener("echo 'thopter-agent: SyncThing does not accept sync connections [tunnel-refused, exit 53]' >&2; exit 53");
        var (client, accepted) = await ConnectedPairAsync(timeout.Token);
        using var _ = client;

        var outcome = await listener.CarryAsync(accepted, timeout.Token);

        Assert.False(outcome.Reached);
        Assert.Contains("exit 53", outcome.Failure, StringComparison.Ordinal);
        Assert.Contains("tunnel-refused", outcome.Failure, StringComparison.Ordinal);
        Assert.Equal(0, await client.ReceiveAsync(new byte[1], timeout.Token));
        Assert.Same(outcome, health.Last);
    }

    [Fact]
    public async Task A_killed_child_ends_the_connection_at_once()
    {
        using var timeout = new CancellationTokenSource(Generous);
        var pidFile = dir.Combine("pid");
        var (listener, _) = Listener($"echo $$ > {pidFile}; printf hello; exec sleep 600");
        var (client, accepted) = await ConnectedPairAsync(timeout.Token);
        using var __ = client;
        var carrying = listener.CarryAsync(accepted, timeout.Token);
        var hello = new byte[5];
        await client.ReceiveAsync(hello, timeout.Token);
        Assert.Equal("hello", Encoding.ASCII.GetString(hello));

        System.Diagnostics.Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)).Kill();

        Assert.Equal(0, await client.ReceiveAsync(new byte[1], timeout.Token));
        var outcome = await carrying;
        Assert.True(outcome.Reached);
    }
}
