using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Devices;
using Thopter.Shared.Processes;
using Thopter.Tests.Laptop.Agent.Delivery;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Pairing;

/// <summary>
/// `thopter sync pair`/`unpair` against an in-memory SyncThing and a fake transport (the real ones run in
/// tests/EndToEnd): the exact planning (idempotency, stale entry replacement) and every wrong input changing nothing.
/// </summary>
public sealed class PairCommandTests : IDisposable
{
    private const string Key = "fakeKey0123456789abcdefFAKEKEY";
    private static readonly string LaptopId = Id(1);
    private readonly TempDirectory home = new();
    private readonly FakeLaptopSyncthing syncthing;
    private readonly FakeProcessRunner devbox = new();
    private string agentDeviceId = Id(2);

    public PairCommandTests()
    {
        File.WriteAllText(home.Combine("st.key"), Key);
        Directory.CreateDirectory(home.Combine("code"));
        File.WriteAllText(home.Combine(".thopter.json"), new JsonObject
        {
            ["other"] = 1,
            ["syncthing"] = new JsonObject
            {
                ["deviceId"] = LaptopId,
                ["folderName"] = "code",
                ["api"] = new JsonObject { ["url"] = "http://127.0.0.1:8384", ["keyFile"] = home.Combine("st.key") },
            },
        }.ToJsonString());
        syncthing = new FakeLaptopSyncthing(LaptopId, "code", home.Combine("code"));
        devbox.Respond = Devbox;
    }

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path, SyncthingHandler = syncthing.Handler, Processes = devbox, UseDaemon = false, AgentBinaries = FakeAgentBinary.Binaries };

    private string Settings => File.ReadAllText(home.Combine(".thopter.json"));

    private static string Id(int seed) => DeviceId.FromBytes(Enumerable.Range(seed, 32).Select(i => (byte)i).ToArray()).ToString();

    private Task<CliResult> Pair(params string[] extra) =>
        CliRun.RunAsync(Environment, ["sync", "pair", "box1", "--transport", "docker exec -u dev 'box one'", "--route", "direct", "--no-wait", .. extra]);

    private ProcessResult Devbox(ProcessSpec spec)
    {
        var command = spec.Arguments.SkipWhile(a => a != "box one").Skip(1).ToList();
        return command switch
        {
            ["echo", "ok"] => FakeProcessRunner.Ok("ok\n"),
            ["thopter-agent", "setup", ..] => FakeProcessRunner.AgentSetup(agentDeviceId),
            _ => FakeProcessRunner.Fail(2, "unexpected " + string.Join(' ', command)),
        };
    }

    [Fact]
    public async Task Pair_adds_the_device_shares_the_folder_records_transport_and_agent_args_and_a_second_pair_changes_nothing()
    {
        var first = await Pair("--agent-arg=--isolated", "--agent-arg", "x y");

        Assert.True(first.ExitCode == 0, first.ToString());
        var device = Assert.Single(syncthing.Devices, d => (string)d["deviceID"]! == agentDeviceId);
        Assert.Equal("box1", (string)device["name"]!);
        Assert.Equal("dynamic", (string)device["addresses"]![0]!);
        Assert.Contains(agentDeviceId, syncthing.SharedWith("code"));
        var setup = devbox.Runs.Single(r => r.Arguments.Contains("setup"));
        Assert.Equal("docker", setup.FileName);
        Assert.Equal(["exec", "-u", "dev", "box one", "thopter-agent", "setup", "--laptop-device-id", LaptopId, "--folder", "code", "--isolated", "x y", "--syncthing-version", "v1.19.2"], setup.Arguments);
        var saved = JsonNode.Parse(Settings)!["syncthing"]!["devboxes"]!["box1"]!;
        Assert.Equal(agentDeviceId, (string)saved["deviceId"]!);
        Assert.Equal("box one", (string)saved["transport"]![4]!);
        Assert.Equal("x y", (string)saved["agentArgs"]![1]!);
        Assert.Equal(2, saved["agentArgs"]!.AsArray().Count); // the laptop's version is passed, never remembered as a pin
        Assert.Equal(1, (int)JsonNode.Parse(Settings)!["other"]!);

        var settings = Settings;
        var writes = syncthing.Writes;
        var second = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--no-wait", "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.False((bool)JsonNode.Parse(second.Output)!["changed"]!);
        Assert.Equal(writes, syncthing.Writes);
        Assert.Equal(settings, Settings);
        Assert.Contains("--isolated", devbox.Runs.Last(r => r.Arguments.Contains("setup")).Arguments);
        Assert.Equal(2, syncthing.Devices.Count);
    }

    [Fact]
    public async Task Agent_args_merge_into_the_remembered_ones_and_the_devbox_gets_and_is_shown_all_of_them()
    {
        List<string> SetupArgs() => [.. devbox.Runs.Last(r => r.Arguments.Contains("setup")).Arguments.SkipWhile(a => a != "code").Skip(1)];
        List<string> Recorded() => [.. JsonNode.Parse(Settings)!["syncthing"]!["devboxes"]!["box1"]!["agentArgs"]!.AsArray().Select(a => (string)a!)];
        Assert.Equal(0, (await Pair("--agent-arg=--listen", "--agent-arg=tcp://127.0.0.1:22001", "--agent-arg=--isolated")).ExitCode);

        var added = await Pair("--agent-arg=--gui-address=127.0.0.1:9999");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal(["--listen", "tcp://127.0.0.1:22001", "--isolated", "--gui-address=127.0.0.1:9999"], Recorded());
        Assert.Equal([.. Recorded(), "--syncthing-version", "v1.19.2"], SetupArgs());
        Assert.Contains("thopter-agent setup arguments: --listen tcp://127.0.0.1:22001 --isolated --gui-address=127.0.0.1:9999 --syncthing-version v1.19.2\n", added.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await Pair("--agent-arg=--listen=tcp://127.0.0.1:22002")).ExitCode);
        Assert.Equal(["--isolated", "--gui-address=127.0.0.1:9999", "--listen=tcp://127.0.0.1:22002", "--syncthing-version", "v1.19.2"], SetupArgs());

        var reset = await Pair("--reset-agent-args", "--json");
        Assert.Equal(["--syncthing-version", "v1.19.2"], SetupArgs());
        Assert.Empty(JsonNode.Parse(reset.Output)!["agentArgs"]!.AsArray());
        Assert.Null(JsonNode.Parse(Settings)!["syncthing"]!["devboxes"]!["box1"]!["agentArgs"]);
    }

    [Fact]
    public async Task A_devbox_with_a_new_identity_replaces_its_stale_entry()
    {
        Assert.Equal(0, (await Pair()).ExitCode);
        var old = agentDeviceId;
        syncthing.Devices.Add(new JsonObject { ["deviceID"] = Id(9), ["name"] = "elsewhere" });
        agentDeviceId = Id(3);

        var again = await Pair("--json");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(old, (string)JsonNode.Parse(again.Output)!["replaced"]![0]!);
        Assert.Equal(new[] { LaptopId, Id(9), agentDeviceId }.Order(), syncthing.DeviceIds.Order());
        Assert.Equal(new[] { LaptopId, agentDeviceId }.Order(), syncthing.SharedWith("code").Order());
        Assert.Equal(agentDeviceId, (string)JsonNode.Parse(Settings)!["syncthing"]!["devboxes"]!["box1"]!["deviceId"]!);
    }

    [Fact]
    public async Task An_agent_error_is_shown_with_its_fix_and_nothing_changes()
    {
        devbox.Respond = spec => spec.Arguments.Contains("setup")
            ? FakeProcessRunner.Fail(40, string.Empty, """{"error":{"code":"invalid-device-id","exitCode":40,"message":"bad id","fix":"pass the right one"}}""")
            : Devbox(spec);
        var settings = Settings;

        var result = await Pair();

        Assert.Equal(ExitCodes.AgentError, result.ExitCode);
        Assert.Contains("bad id", result.Error, StringComparison.Ordinal);
        Assert.Contains("fix: pass the right one", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, syncthing.Writes);
        Assert.Equal(settings, Settings);
    }

    [Fact]
    public async Task An_unreachable_devbox_names_the_transport_and_nothing_changes()
    {
        devbox.Respond = _ => FakeProcessRunner.Fail(1, "Error response from daemon: No such container: box one");

        var result = await Pair();

        Assert.Equal(ExitCodes.DevboxUnreachable, result.ExitCode);
        Assert.Contains("unreachable through `docker exec -u dev 'box one'`", result.Error, StringComparison.Ordinal);
        Assert.Single(devbox.Runs);
        Assert.Equal(0, syncthing.Writes);
    }

    [Fact]
    public async Task A_missing_agent_has_its_own_exit_code()
    {
        devbox.Respond = spec => spec.Arguments.Contains("setup") ? FakeProcessRunner.Fail(127, "sh: thopter-agent: not found") : Devbox(spec);

        Assert.Equal(ExitCodes.AgentMissing, (await Pair()).ExitCode);
        Assert.Equal(0, syncthing.Writes);
    }

    [Fact]
    public async Task SyncThing_down_fails_before_the_devbox_is_touched()
    {
        syncthing.Down = true;

        var result = await Pair();

        Assert.Equal(ExitCodes.SyncthingUnreachable, result.ExitCode);
        Assert.Empty(devbox.Runs);
    }

    [Theory]
    [InlineData("-bad")]
    [InlineData("a/b")]
    public async Task A_bad_devbox_name_is_refused(string name)
    {
        var result = await CliRun.RunAsync(Environment, "sync", "pair", name, "--transport", "ssh x", "--route", "direct");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Empty(devbox.Runs);
    }

    [Fact]
    public async Task Pair_before_init_says_to_run_init()
    {
        File.Delete(home.Combine(".thopter.json"));

        Assert.Equal(ExitCodes.NotInitialized, (await Pair()).ExitCode);
        Assert.Empty(devbox.Runs);
    }

    [Fact]
    public async Task A_corrupt_settings_file_changes_nothing()
    {
        File.WriteAllText(home.Combine(".thopter.json"), "{ not json");

        var result = await Pair();

        Assert.Equal(ExitCodes.ConfigCorrupt, result.ExitCode);
        Assert.Equal("{ not json", Settings);
        Assert.Empty(devbox.Runs);
    }

    [Fact]
    public async Task A_wrong_api_key_is_reported_as_such()
    {
        syncthing.Handler.Respond = _ => Task.FromResult(Thopter.Tests.Shared.Rest.FakeSyncthingHandler.Text("Forbidden", System.Net.HttpStatusCode.Forbidden));

        var result = await Pair();

        Assert.Equal(ExitCodes.SyncthingUnauthorized, result.ExitCode);
        Assert.DoesNotContain(Key, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pair_waits_for_connection_and_sync_when_asked_to()
    {
        devbox.Respond = spec => spec.Arguments.Contains("status")
            ? FakeProcessRunner.Ok("""{"healthy":true,"laptopConnected":true,"folders":[{"id":"code","state":"idle"}]}""")
            : Devbox(spec);
        syncthing.Connected.Add(agentDeviceId);

        var result = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", "docker exec -u dev 'box one'", "--route", "direct", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True((bool)JsonNode.Parse(result.Output)!["waited"]!);
    }

    [Fact]
    public async Task A_connection_that_never_comes_times_out_naming_the_step()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", "docker exec -u dev 'box one'", "--route", "direct", "--timeout", "1");

        Assert.Equal(ExitCodes.Timeout, result.ExitCode);
        Assert.Contains("step \"connect\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpair_removes_the_device_share_and_record_and_a_second_unpair_is_not_found()
    {
        Assert.Equal(0, (await Pair()).ExitCode);

        var result = await CliRun.RunAsync(Environment, "sync", "unpair", "box1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(agentDeviceId, syncthing.DeviceIds);
        Assert.DoesNotContain(agentDeviceId, syncthing.SharedWith("code"));
        Assert.Null(JsonNode.Parse(Settings)!["syncthing"]!["devboxes"]);
        Assert.Equal(ExitCodes.NotFound, (await CliRun.RunAsync(Environment, "sync", "unpair", "box1")).ExitCode);
    }

    [Fact]
    public async Task Progress_goes_to_stderr_only_for_a_terminal_and_never_with_json()
    {
        var terminal = new CliEnvironment { Home = home.Path, SyncthingHandler = syncthing.Handler, Processes = devbox, InteractiveError = true, UseDaemon = false, AgentBinaries = FakeAgentBinary.Binaries };

        var shown = await CliRun.RunAsync(terminal, "sync", "pair", "box1", "--transport", "docker exec -u dev 'box one'", "--route", "direct", "--no-wait");
        var json = await CliRun.RunAsync(terminal, "sync", "pair", "box1", "--no-wait", "--json");
        var script = await Pair();

        Assert.Contains("box1: running thopter-agent setup", shown.Error, StringComparison.Ordinal);
        Assert.Empty(json.Error);
        Assert.Empty(script.Error);
        Assert.StartsWith("paired box1", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpair_with_stop_remote_runs_uninstall_on_the_devbox_and_an_unreachable_devbox_changes_nothing()
    {
        Assert.Equal(0, (await Pair()).ExitCode);
        var settings = Settings;
        devbox.Respond = _ => FakeProcessRunner.Fail(1, "No such container: box one");

        var down = await CliRun.RunAsync(Environment, "sync", "unpair", "box1", "--stop-remote");

        Assert.Equal(ExitCodes.DevboxUnreachable, down.ExitCode);
        Assert.Equal(settings, Settings);
        Assert.Contains(agentDeviceId, syncthing.DeviceIds);

        devbox.Respond = spec => spec.Arguments[^1] == "uninstall"
            ? FakeProcessRunner.Ok("""{"supervisor":"systemd","removed":true}""")
            : Devbox(spec);
        var result = await CliRun.RunAsync(Environment, "sync", "unpair", "box1", "--stop-remote", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True((bool)JsonNode.Parse(result.Output)!["remoteStopped"]!);
        Assert.Equal(["exec", "-u", "dev", "box one", "thopter-agent", "uninstall"], devbox.Runs[^1].Arguments);
        Assert.DoesNotContain(agentDeviceId, syncthing.DeviceIds);
    }
}
