using System.Net;
using System.Net.Sockets;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// The real AOT agent on a devbox whose sync port another program holds (a plain listener the test opens: the devbox
/// shares the test's loopback): setup fails at once with exit 58 and SyncThing's own reason, not a pair that later
/// times out at "connect". Once the port is free, setup run again leaves SyncThing listening: the SyncThing the
/// first run left running (config.xml unchanged) is restarted because its listener failed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SyncPortTakenOnDevboxTests
{
    [Fact]
    public async Task Setup_fails_with_exit_58_and_the_reason_when_another_program_holds_the_sync_port_and_succeeds_once_it_is_freed()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithoutSystemd());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        using var holder = new TcpListener(IPAddress.Loopback, agent.ListenPort);
        holder.Start();

        var result = await agent.RunAsync(agent.SetupArguments(), withUserBus: false);

        AgentCli.AssertError(result, "sync-listen-failed", 58);
        var error = AgentCli.Json(result).GetProperty("error");
        Assert.Contains($"tcp://127.0.0.1:{agent.ListenPort}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("address already in use", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains($"sport = :{agent.ListenPort}", error.GetProperty("fix").GetString(), StringComparison.Ordinal);

        holder.Stop();
        var again = await agent.RunAsync(agent.SetupArguments(), withUserBus: false);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("restarted", AgentCli.Json(again).GetProperty("supervisor").GetProperty("action").GetString());
        using var sync = new TcpClient();
        await sync.ConnectAsync(IPAddress.Loopback, agent.ListenPort);
    }
}
