using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Devices;
using Thopter.Shared.IO;
using Thopter.Shared.Processes;
using Thopter.Tests.Laptop.Agent.Delivery;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Pairing;

/// <summary>pair's routes against a fake laptop SyncThing and a fake devbox: what each route sets on both ends and records.</summary>
public sealed class PairRouteTests : IDisposable
{
    private static readonly string LaptopId = DeviceId.FromBytes(new byte[32]).ToString();
    private static readonly string AgentDeviceId = DeviceId.FromBytes([.. Enumerable.Range(1, 32).Select(i => (byte)i)]).ToString();
    private readonly TempDirectory home = new();
    private readonly FakeLaptopSyncthing syncthing;
    private readonly FakeProcessRunner devbox = new();

    public PairRouteTests()
    {
        AtomicFile.WriteText(home.Combine("st.key"), "key", AtomicFile.PrivateMode);
        File.WriteAllText(home.Combine(".thopter.json"), new JsonObject
        {
            ["syncthing"] = new JsonObject
            {
                ["deviceId"] = LaptopId,
                ["folderName"] = "code",
                ["api"] = new JsonObject { ["url"] = "http://127.0.0.1:8384", ["keyFile"] = home.Combine("st.key") },
            },
        }.ToJsonString());
        Directory.CreateDirectory(home.Combine("code"));
        syncthing = new FakeLaptopSyncthing(LaptopId, "code", home.Combine("code"));
        devbox.Respond = spec => spec.Arguments.SkipWhile(a => a != "box1").Skip(1).ToList() switch
        {
            ["echo", "ok"] => FakeProcessRunner.Ok("ok\n"),
            ["thopter-agent", "setup", ..] => FakeProcessRunner.AgentSetup(AgentDeviceId),
            var other => FakeProcessRunner.Fail(2, "unexpected " + string.Join(' ', other)),
        };
    }

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path, SyncthingHandler = syncthing.Handler, Processes = devbox, UseDaemon = false, AgentBinaries = FakeAgentBinary.Binaries };

    private JsonNode Recorded => JsonNode.Parse(File.ReadAllText(home.Combine(".thopter.json")))!["syncthing"]!["devboxes"]!["box1"]!;

    private JsonObject Device => syncthing.Devices.Single(d => (string)d["deviceID"]! == AgentDeviceId);

    private IReadOnlyList<string> SetupArguments => devbox.Runs.Last(r => r.Arguments.Contains("setup")).Arguments;

    [Fact]
    public async Task The_tunnel_is_the_default_loopback_on_both_ends_with_i_added_and_a_second_pair_changes_nothing()
    {
        var first = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", "docker exec -u dev box1", "--no-wait");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("the transport needs -i", first.Output, StringComparison.Ordinal);
        var port = (int)Recorded["tunnelPort"]!;
        Assert.Equal("tunnel", (string)Recorded["route"]!);
        Assert.Equal(["docker", "exec", "-i", "-u", "dev", "box1"], Recorded["transport"]!.AsArray().Select(w => (string)w!));
        Assert.Equal($"tcp://127.0.0.1:{port}", (string)Device["addresses"]![0]!);
        Assert.Equal(["exec", "-i", "-u", "dev", "box1", "thopter-agent", "setup", "--laptop-device-id", LaptopId, "--folder", "code", "--listen", "tcp://127.0.0.1:22000", "--isolated", "--syncthing-version", "v1.19.2"], SetupArguments);
        Assert.Null(Recorded["agentArgs"]);

        // The daemon respells the address to prompt a redial: still the same tunnel, so nothing changes.
        Device["addresses"] = new JsonArray($"tcp4://127.0.0.1:{port}");
        var writes = syncthing.Writes;
        var second = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--no-wait", "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.False((bool)JsonNode.Parse(second.Output)!["changed"]!);
        Assert.Equal(writes, syncthing.Writes);
        Assert.Equal(port, (int)Recorded["tunnelPort"]!);
    }

    [Fact]
    public async Task A_listen_address_in_the_agent_arguments_wins_over_the_tunnel_default()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", "docker exec -i box1", "--no-wait", "--agent-arg=--listen=tcp://127.0.0.1:23000");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["--isolated", "--listen=tcp://127.0.0.1:23000", "--syncthing-version", "v1.19.2"], SetupArguments.SkipWhile(a => a != "code").Skip(1));
    }

    [Fact]
    public async Task The_public_route_is_dynamic_and_not_isolated_and_direct_keeps_the_prefix_as_given()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", "docker exec box1", "--route", "public", "--no-wait");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("public", (string)Recorded["route"]!);
        Assert.Null(Recorded["tunnelPort"]);
        Assert.Equal("dynamic", (string)Device["addresses"]![0]!);
        Assert.DoesNotContain("--isolated", SetupArguments);
        Assert.Equal(["docker", "exec", "box1"], Recorded["transport"]!.AsArray().Select(w => (string)w!));
    }

    [Fact]
    public async Task Waiting_on_the_tunnel_without_the_daemon_is_exit_16_before_the_devbox_is_touched()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", "docker exec -i box1");

        Assert.Equal(ExitCodes.DaemonUnavailable, result.ExitCode);
        Assert.Empty(devbox.Runs);
    }

    [Fact]
    public async Task An_unknown_route_is_refused()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", "docker exec -i box1", "--route", "relay", "--no-wait");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(devbox.Runs);
    }
}
