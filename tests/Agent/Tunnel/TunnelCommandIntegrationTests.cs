using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Thopter.Agent;
using Thopter.Shared.Config;
using Thopter.Tests.Agent.Commands;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Agent.Tunnel;

/// <summary>
/// The real AOT agent's <c>tunnel</c> between its stdio and a TCP listener on loopback standing where SyncThing's sync
/// listener is (<see cref="SyncthingStandIn"/>; the end-to-end tests run it against real SyncThing), and its refusal of
/// a listener that is not SyncThing's.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TunnelCommandIntegrationTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    private string WriteConfig(params string[] listenAddresses)
    {
        var st = Directory.CreateDirectory(home.Combine("st")).FullName;
        var config = SyncthingConfigDocument.CreateNew(37);
        config.Options = OptionsConfig.LoopbackOnly(22000) with { ListenAddresses = listenAddresses };
        File.WriteAllText(Path.Combine(st, "config.xml"), config.ToXml());
        return st;
    }

    private static Process Start(string st)
    {
        var start = new ProcessStartInfo(AgentBinary.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "tunnel", "--home", st })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, cancellationToken);
        return all.ToArray();
    }

    [Fact]
    public async Task Bytes_flow_both_ways_and_each_end_of_stream_travels_as_a_half_close()
    {
        using var standIn = new SyncthingStandIn(home.Combine("st"));
        var listener = standIn.Listener;
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var st = WriteConfig("quic://0.0.0.0:1", $"tcp://0.0.0.0:{port}");
        using var timeout = new CancellationTokenSource(Generous);

        using var tunnel = Start(st);
        using var accepted = await listener.AcceptSocketAsync(timeout.Token);
        var stdin = tunnel.StandardInput.BaseStream;
        var stdout = tunnel.StandardOutput.BaseStream;

        // Laptop -> SyncThing, then SyncThing -> laptop, one round trip each.
        await stdin.WriteAsync("ping"u8.ToArray(), timeout.Token);
        await stdin.FlushAsync(timeout.Token);
        var received = new byte[4];
        await accepted.ReceiveAsync(received, timeout.Token);
        Assert.Equal("ping", Encoding.ASCII.GetString(received));
        await accepted.SendAsync("pong"u8.ToArray(), timeout.Token);
        var back = new byte[4];
        await stdout.ReadExactlyAsync(back, timeout.Token);
        Assert.Equal("pong", Encoding.ASCII.GetString(back));

        // stdin closes: SyncThing sees end of stream, yet its late reply still reaches stdout.
        stdin.Close();
        var eof = new byte[1];
        Assert.Equal(0, await accepted.ReceiveAsync(eof, timeout.Token));
        var late = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        var reading = ReadToEndAsync(stdout, timeout.Token);
        await accepted.SendAsync(late, timeout.Token);
        accepted.Shutdown(SocketShutdown.Send);

        Assert.Equal(late, await reading);
        await tunnel.WaitForExitAsync(timeout.Token);
        Assert.True(tunnel.ExitCode == 0, $"exit {tunnel.ExitCode}: {await tunnel.StandardError.ReadToEndAsync(timeout.Token)}");
    }

    [Fact]
    public async Task SyncThing_closing_first_closes_stdout_and_the_tunnel_ends_when_stdin_does()
    {
        using var standIn = new SyncthingStandIn(home.Combine("st"));
        var listener = standIn.Listener;
        var st = WriteConfig($"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        using var timeout = new CancellationTokenSource(Generous);

        using var tunnel = Start(st);
        using (var accepted = await listener.AcceptSocketAsync(timeout.Token))
        {
            await accepted.SendAsync("bye"u8.ToArray(), timeout.Token);
            accepted.Shutdown(SocketShutdown.Send);
            Assert.Equal("bye", Encoding.ASCII.GetString(await ReadToEndAsync(tunnel.StandardOutput.BaseStream, timeout.Token)));
        }

        tunnel.StandardInput.Close();
        await tunnel.WaitForExitAsync(timeout.Token);
        Assert.Contains(tunnel.ExitCode, new[] { ExitCodes.Ok.Value, ExitCodes.TunnelBroken.Value });
    }

    [Fact]
    public async Task A_failure_after_stdout_has_ended_is_still_one_line_on_stderr_with_exit_54()
    {
        using var standIn = new SyncthingStandIn(home.Combine("st"));
        var listener = standIn.Listener;
        var st = WriteConfig($"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        using var timeout = new CancellationTokenSource(Generous);

        using var tunnel = Start(st);
        using (var accepted = await listener.AcceptSocketAsync(timeout.Token))
        {
            accepted.Shutdown(SocketShutdown.Send);
            Assert.Empty(await ReadToEndAsync(tunnel.StandardOutput.BaseStream, timeout.Token));

            // A reset: SO_LINGER 0 makes close() send RST.
            accepted.LingerState = new LingerOption(true, 0);
        }

        await Task.Delay(200, timeout.Token);
        await tunnel.StandardInput.BaseStream.WriteAsync("late"u8.ToArray(), timeout.Token);
        tunnel.StandardInput.Close();
        await tunnel.WaitForExitAsync(timeout.Token);
        var error = await tunnel.StandardError.ReadToEndAsync(timeout.Token);

        Assert.True(tunnel.ExitCode == ExitCodes.TunnelBroken.Value, $"exit {tunnel.ExitCode}: {error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("[tunnel-broken, exit 54]", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listener_no_syncthing_holds_is_refused_with_exit_55_before_a_byte_reaches_it()
    {
        using var foreign = new TcpListener(IPAddress.Loopback, 0);
        foreign.Start();
        var port = ((IPEndPoint)foreign.LocalEndpoint).Port;
        var st = WriteConfig($"tcp://127.0.0.1:{port}");
        using var timeout = new CancellationTokenSource(Generous);

        using var tunnel = Start(st);
        await tunnel.StandardInput.BaseStream.WriteAsync("laptop bytes"u8.ToArray(), timeout.Token);
        tunnel.StandardInput.Close();
        using var accepted = await foreign.AcceptSocketAsync(timeout.Token);
        var received = await ReadToEndAsync(new NetworkStream(accepted), timeout.Token);
        var stdout = await ReadToEndAsync(tunnel.StandardOutput.BaseStream, timeout.Token);
        var stderr = await tunnel.StandardError.ReadToEndAsync(timeout.Token);
        await tunnel.WaitForExitAsync(timeout.Token);

        Assert.Equal(ExitCodes.TunnelNotSyncthing.Value, tunnel.ExitCode);
        Assert.Empty(received);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"127.0.0.1:{port} is held by", line, StringComparison.Ordinal);
        Assert.Contains("not the SyncThing of", line, StringComparison.Ordinal);
        Assert.Contains($"sport = :{port}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_listener_is_exit_53_with_one_line_on_stderr_and_nothing_on_stdout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var st = WriteConfig($"tcp://127.0.0.1:{port}");

        var result = await AgentBinary.RunAsync(home.Path, "tunnel", "--home", st);

        Assert.Equal(ExitCodes.TunnelRefused.Value, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("[tunnel-refused, exit 53]", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_home_without_config_or_without_a_tcp_listener_is_exit_52()
    {
        var missing = await AgentBinary.RunAsync(home.Path, "tunnel", "--home", home.Combine("nothing"));
        var quicOnly = await AgentBinary.RunAsync(home.Path, "tunnel", "--home", WriteConfig("quic://0.0.0.0:22000", "dynamic+https://relays.example/"));

        foreach (var result in new[] { missing, quicOnly })
        {
            Assert.Equal(ExitCodes.TunnelNotSetUp.Value, result.ExitCode);
            Assert.Equal(string.Empty, result.Output);
            Assert.Contains("[tunnel-not-set-up, exit 52]", result.Error, StringComparison.Ordinal);
        }
    }
}
