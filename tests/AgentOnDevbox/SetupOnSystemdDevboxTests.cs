using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// The real AOT agent on a devbox booted with systemd: fresh setup, ten re-runs, SyncThing killed, the devbox stopped
/// and started, then uninstall. One devbox, one test, because each step builds on the state the previous one left.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SetupOnSystemdDevboxTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Setup_is_idempotent_survives_kill_and_restart_and_uninstalls()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);

        // Fresh devbox: installs from the mirror, creates the identity, starts the unit, answers with our ID.
        var first = await agent.SetupAsync();
        var deviceId = DeviceId.Parse(first.GetProperty("deviceId").GetString()!);
        Assert.Equal("deviceId", first.EnumerateObject().First().Name);
        Assert.Equal("downloaded", first.GetProperty("syncthing").GetProperty("install").GetString());
        Assert.Equal("created", first.GetProperty("identity").GetProperty("action").GetString());
        Assert.Equal("systemd", first.GetProperty("supervisor").GetProperty("kind").GetString());
        Assert.Equal(deviceId, await agent.SyncthingReportedIdAsync());
        Assert.True(await agent.UnitActiveAsync());
        Assert.DoesNotContain("apikey", first.ToString(), StringComparison.OrdinalIgnoreCase);

        var config = await agent.ConfigAsync();
        var apiKey = config.Gui!.ApiKey;
        Assert.DoesNotContain(apiKey, first.ToString(), StringComparison.Ordinal);
        Assert.Equal(new[] { deviceId, agent.Laptop }.Order(IdOrder.Instance), config.Devices.Select(d => d.Id).Order(IdOrder.Instance));
        var folder = Assert.Single(config.Folders);
        Assert.Equal("code", folder.Id);
        Assert.Equal("/home/dev/code", folder.Path);
        Assert.Equal(1, folder.FsWatcherDelayS);
        Assert.Contains(agent.Laptop, folder.Devices);
        Assert.Equal($"127.0.0.1:{agent.GuiPort}", config.Gui.Address);
        Assert.Equal(-1, config.Options.UrAccepted);
        Assert.False(config.Options.GlobalAnnounceEnabled || config.Options.RelaysEnabled || config.Options.NatEnabled || config.Options.CrashReportingEnabled);
        Assert.Equal("600", (await devbox.ExecAsync("dev", "stat", "-c", "%a", AgentCli.ConfigPath)).EnsureSuccess().StandardOutput.Trim());
        var (healthy, status) = await agent.StatusAsync();
        Assert.True(healthy, status.ToString());
        Assert.True(status.GetProperty("apiAnswering").GetBoolean());
        Assert.True(status.GetProperty("inotify").GetProperty("watchLimit").GetInt32() > 0, status.ToString());
        // SyncThing's watcher and the accelerator each watch at least the folder itself once they run.
        await AgentCli.TimeUntilAsync(
            "status to count the inotify watches of SyncThing and the accelerator",
            async () => (await agent.StatusAsync()).Json.GetProperty("inotify").GetProperty("watchesUsed").GetInt32() >= 2,
            TimeSpan.FromSeconds(30));

        // Ten more runs: config.xml byte-identical, same ID and key, one unit, SyncThing never restarted.
        var configHash = await agent.Sha256Async(AgentCli.ConfigPath);
        var pid = await agent.UnitMainPidAsync();
        for (var run = 0; run < 10; run++)
        {
            var again = await agent.SetupAsync();
            Assert.Equal(deviceId.ToString(), again.GetProperty("deviceId").GetString());
            Assert.Equal("kept", again.GetProperty("identity").GetProperty("action").GetString());
            Assert.Equal("already-running", again.GetProperty("supervisor").GetProperty("action").GetString());
            Assert.False(again.GetProperty("configChanged").GetBoolean());
            Assert.Equal(configHash, await agent.Sha256Async(AgentCli.ConfigPath));
        }

        Assert.Equal(apiKey, (await agent.ConfigAsync()).Gui!.ApiKey);
        Assert.Equal(pid, await agent.UnitMainPidAsync());
        var units = (await devbox.ShellAsync("dev", "ls ~/.config/systemd/user/*.service | wc -l")).EnsureSuccess().StandardOutput.Trim();
        Assert.Equal("2", units); // SyncThing and its accelerator

        await MeasureAsync(agent);

        // kill -9: systemd restarts SyncThing.
        (await devbox.ExecAsync("dev", "kill", "-9", pid)).EnsureSuccess();
        var back = await AgentCli.TimeUntilAsync(
            "SyncThing to run again after kill -9",
            async () => await agent.UnitMainPidAsync() is var now && now != pid && now != "0" && (await agent.StatusAsync()).Healthy,
            TimeSpan.FromSeconds(20));
        output.WriteLine($"kill -9 -> healthy again after {back.TotalMilliseconds:0} ms");
        Assert.True(back < TimeSpan.FromSeconds(15), $"SyncThing took {back} to come back");

        // Stop and start the devbox (suspend/resume): SyncThing runs again by itself, same identity.
        await devbox.StopAsync();
        await devbox.StartAgainAsync();
        var resumed = await AgentCli.TimeUntilAsync("SyncThing healthy after the devbox started again", async () => (await agent.StatusAsync()).Healthy, TimeSpan.FromSeconds(30));
        output.WriteLine($"devbox start -> SyncThing healthy after {resumed.TotalMilliseconds:0} ms");
        Assert.Equal(deviceId.ToString(), (await agent.RunAsync("device-id")).EnsureSuccess().StandardOutput.Trim());
        Assert.Equal("kept", (await agent.SetupAsync()).GetProperty("identity").GetProperty("action").GetString());

        // Disk full while writing (a full tmpfs as another --home): disk-full, and no partial file is left there.
        (await devbox.ShellAsync("root", "mkdir /home/dev/full && mount -t tmpfs -o size=16k,mode=0755,uid=1000 tmpfs /home/dev/full && (dd if=/dev/zero of=/home/dev/full/filler bs=1k count=64 2>/dev/null; true)")).EnsureSuccess();
        var homeBefore = await agent.HomeFingerprintAsync();
        AgentCli.AssertError(await agent.RunAsync([.. agent.SetupArguments(), "--home", "/home/dev/full"]), "disk-full", 32);
        Assert.Equal("filler", (await devbox.ShellAsync("dev", "ls -A /home/dev/full")).EnsureSuccess().StandardOutput.Trim());
        Assert.Equal(homeBefore, await agent.HomeFingerprintAsync());
        (await devbox.ShellAsync("root", "umount /home/dev/full && rmdir /home/dev/full")).EnsureSuccess();

        // reset-identity: a new ID, SyncThing restarted with it, and setup afterwards keeps it.
        var reset = AgentCli.Json((await agent.RunAsync("reset-identity")).EnsureSuccess());
        var newId = reset.GetProperty("deviceId").GetString()!;
        Assert.NotEqual(deviceId.ToString(), newId);
        Assert.Equal(deviceId.ToString(), reset.GetProperty("previousDeviceId").GetString());
        Assert.Equal(newId, (await agent.SyncthingReportedIdAsync()).ToString());
        await AgentCli.TimeUntilAsync("SyncThing healthy with the new identity", async () => (await agent.StatusAsync()).Healthy, TimeSpan.FromSeconds(20));
        var afterReset = await agent.SetupAsync();
        Assert.Equal(newId, afterReset.GetProperty("deviceId").GetString());
        Assert.Equal("kept", afterReset.GetProperty("identity").GetProperty("action").GetString());
        Assert.DoesNotContain(deviceId, (await agent.ConfigAsync()).Devices.Select(d => d.Id));

        // uninstall, twice: the unit is gone, the folder stays.
        for (var run = 0; run < 2; run++)
        {
            (await agent.RunAsync("uninstall")).EnsureSuccess();
        }

        Assert.False(await agent.UnitActiveAsync());
        Assert.False((await devbox.ExecAsync("dev", "test", "-e", "/home/dev/.config/systemd/user/" + AgentCli.Unit)).Succeeded);
        Assert.True((await devbox.ExecAsync("dev", "test", "-f", "/home/dev/code/.stignore")).Succeeded);
        var (healthyAfter, _) = await agent.StatusAsync();
        Assert.False(healthyAfter);
    }

    private async Task MeasureAsync(AgentCli agent)
    {
        var setups = new List<(double Wall, double Cpu)>();
        for (var run = 0; run < 5; run++)
        {
            setups.Add(await agent.TimeInsideAsync(agent.SetupArguments()));
        }

        var ids = new List<(double Wall, double Cpu)>();
        for (var run = 0; run < 5; run++)
        {
            ids.Add(await agent.TimeInsideAsync(["--device-id"]));
        }

        static double Median(IEnumerable<double> values) => values.Order().ElementAt(2);
        output.WriteLine($"MEASURE setup (installed, healthy) wall median {Median(setups.Select(s => s.Wall)):0} ms, agent CPU median {Median(setups.Select(s => s.Cpu)):0} ms; runs {string.Join(", ", setups.Select(s => $"{s.Wall:0}/{s.Cpu:0}"))}");
        output.WriteLine($"MEASURE --device-id wall median {Median(ids.Select(s => s.Wall)):0} ms, CPU median {Median(ids.Select(s => s.Cpu)):0} ms");
        Assert.True(Median(setups.Select(s => s.Wall)) < 1500, "setup on an installed devbox should stay well under 1.5 s");
    }

    private sealed class IdOrder : IComparer<DeviceId>
    {
        public static readonly IdOrder Instance = new();

        public int Compare(DeviceId x, DeviceId y) => string.CompareOrdinal(x.ToString(), y.ToString());
    }
}
