using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Devices;
using Thopter.Shared.Processes;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness.Laptop;
using Thopter.Tests.Laptop.Agent.Delivery;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Pairing;

/// <summary>
/// pair/unpair never touch a SyncThing device thopter did not pair, and one device ID is one devbox: against the
/// laptop's real SyncThing (the harness's), whose device list and folder share are read back over REST. The devbox
/// side is a scripted transport that answers `thopter-agent setup` with the device ID a case needs (a duplicate or the
/// laptop's own ID): what is tested is the laptop's decision, and a real agent refuses the laptop's ID on its own side
/// before the laptop could see it (tests/EndToEnd has the real devboxes).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PairOwnershipAgainstRealSyncthingTests : IAsyncLifetime
{
    private readonly TempDirectory home = new();
    private readonly FakeProcessRunner devbox = new();
    private LaptopSyncthing? laptop;
    private string agentDeviceId = Id(2);

    private LaptopSyncthing Laptop => laptop!;

    private CliEnvironment Environment => new() { Home = home.Path, Processes = devbox, AgentBinaries = FakeAgentBinary.Binaries };

    private string SettingsPath => home.Combine(".thopter.json");

    public async Task InitializeAsync()
    {
        laptop = await LaptopSyncthing.StartAsync();
        devbox.Respond = Devbox;
        var init = await CliRun.RunAsync(Environment, "sync", "init", "--syncthing-home", Laptop.HomeDir, "--folder", "code");
        Assert.True(init.ExitCode == 0, init.ToString());
    }

    public async Task DisposeAsync()
    {
        if (laptop is not null)
        {
            await laptop.DisposeAsync();
        }

        home.Dispose();
    }

    private static string Id(int seed) => DeviceId.FromBytes(Enumerable.Range(seed, 32).Select(i => (byte)(i * 7)).ToArray()).ToString();

    private SyncthingRestClient Rest() => new(Laptop.RestAddress, new SyncthingApiKey(Laptop.ApiKey));

    private ProcessResult Devbox(ProcessSpec spec) => spec.Arguments.SkipWhile(a => a != "box").Skip(1).ToList() switch
    {
        ["echo", "ok"] => FakeProcessRunner.Ok("ok\n"),
        ["thopter-agent", "setup", ..] => FakeProcessRunner.AgentSetup(agentDeviceId),
        var other => FakeProcessRunner.Fail(2, "unexpected " + string.Join(' ', other)),
    };

    private Task<CliResult> Pair(string name, params string[] extra) =>
        CliRun.RunAsync(Environment, ["sync", "pair", name, "--transport", "docker exec box", "--route", "direct", "--no-wait", .. extra]);

    /// <summary>Runs <paramref name="command"/>, which must be refused with <paramref name="reason"/>, leaving SyncThing and the settings as they were.</summary>
    private async Task<CliResult> RefusedAsync(string reason, Func<Task<CliResult>> command)
    {
        var before = await SyncthingState();
        var settings = File.ReadAllText(SettingsPath);

        var result = await command();

        Assert.True(result.ExitCode == ExitCodes.OwnershipConflict, result.ToString());
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await SyncthingState());
        Assert.Equal(settings, File.ReadAllText(SettingsPath));
        return result;
    }

    private async Task<string> SyncthingState()
    {
        using var rest = Rest();
        var devices = (await rest.GetDevicesAsync()).Select(d => $"{d.DeviceId}={d.Name}").Order(StringComparer.Ordinal);
        var shared = (await rest.GetFolderAsync("code"))!.Devices!.Select(d => d.DeviceId).Order(StringComparer.Ordinal);
        return $"devices {string.Join(", ", devices)}; shared with {string.Join(", ", shared)}";
    }

    [Fact]
    public async Task Pair_refuses_a_name_that_a_device_it_did_not_pair_carries_and_leaves_that_device_alone()
    {
        var phone = Id(40);
        using (var rest = Rest())
        {
            await rest.PutDeviceAsync(new RestDevice { DeviceId = phone, Name = "phone", Addresses = ["dynamic"] });
            var folder = (await rest.GetFolderAsync("code"))!;
            folder.Devices = [.. folder.Devices!, new RestFolderDevice { DeviceId = phone }];
            await rest.PutFolderAsync(folder);
        }

        var result = await RefusedAsync("already has a device named \"phone\"", () => Pair("phone"));

        Assert.Contains("fix: pair the devbox under another name", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_name_for_a_paired_device_id_is_refused_and_rename_from_moves_the_pairing()
    {
        Assert.Equal(0, (await Pair("box1", "--agent-arg=--isolated")).ExitCode);
        var twice = await RefusedAsync("already paired as \"box1\"", () => Pair("box2"));

        Assert.Contains("--rename-from box1", twice.Error, StringComparison.Ordinal);

        var renamed = await CliRun.RunAsync(Environment, "sync", "pair", "box2", "--rename-from", "box1", "--no-wait", "--json");

        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        using (var rest = Rest())
        {
            Assert.Equal("box2", (await rest.GetDeviceAsync(agentDeviceId))!.Name);
            Assert.Contains(agentDeviceId, (await rest.GetFolderAsync("code"))!.Devices!.Select(d => d.DeviceId));
        }

        var devboxes = JsonNode.Parse(File.ReadAllText(SettingsPath))!["syncthing"]!["devboxes"]!.AsObject();
        Assert.Equal(["box2"], devboxes.Select(d => d.Key));
        Assert.Equal("--isolated", (string)devboxes["box2"]!["agentArgs"]![0]!);
        Assert.Equal("box", (string)devboxes["box2"]!["transport"]![2]!);
    }

    [Fact]
    public async Task A_devbox_answering_with_the_laptops_own_device_id_is_refused_and_the_laptop_entry_survives()
    {
        agentDeviceId = Laptop.DeviceId.ToString();
        var result = await RefusedAsync("this laptop's own device ID", () => Pair("box1"));

        Assert.Contains("reset-identity", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_flags_two_names_for_one_device_id_and_unpair_leaves_the_laptop_and_a_device_another_record_still_names()
    {
        Assert.Equal(0, (await Pair("box1")).ExitCode);

        // Settings written by an older thopter: box2 recorded with box1's device ID, "box3" with the laptop's own.
        var settings = JsonNode.Parse(File.ReadAllText(SettingsPath))!;
        var devboxes = settings["syncthing"]!["devboxes"]!.AsObject();
        devboxes["box2"] = devboxes["box1"]!.DeepClone();
        devboxes["box3"] = new JsonObject { ["deviceId"] = Laptop.DeviceId.ToString(), ["transport"] = new JsonArray("docker", "exec", "box") };
        File.WriteAllText(SettingsPath, settings.ToJsonString());
        var before = await SyncthingState();
        var status = await CliRun.RunAsync(Environment, "sync", "status", "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        var shared = Assert.Single(JsonNode.Parse(status.Output)!["sharedDeviceIds"]!.AsArray())!;
        Assert.Equal(["box1", "box2"], shared["devboxes"]!.AsArray().Select(n => (string)n!));
        Assert.Contains("warning: devboxes \"box1\" and \"box2\" answer with one device ID", status.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRun.RunAsync(Environment, "sync", "unpair", "box2")).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(Environment, "sync", "unpair", "box3")).ExitCode);

        Assert.Equal(before, await SyncthingState());
        Assert.Equal(["box1"], JsonNode.Parse(File.ReadAllText(SettingsPath))!["syncthing"]!["devboxes"]!.AsObject().Select(d => d.Key));
    }
}
