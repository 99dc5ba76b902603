using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Api;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness.Laptop;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>
/// The daemon as users get it, against a real laptop SyncThing on a machine without a user service manager (this
/// one: `systemctl --user` has no bus), so `init` starts it detached. SyncThing's own watcher delay is raised to
/// 10 s: a write indexed within a second can only be the daemon's accelerator.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DaemonAgainstRealSyncthingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly DaemonHome daemon = new();
    private LaptopSyncthing laptop = null!;

    public async Task InitializeAsync() => laptop = await LaptopSyncthing.StartAsync();

    public async Task DisposeAsync()
    {
        await daemon.DisposeAsync();
        await laptop.DisposeAsync();
    }

    [Fact]
    public async Task Init_alone_starts_the_daemon_its_accelerator_indexes_writes_at_once_and_the_next_command_repairs_a_kill_9()
    {
        var init = await InitAsync();
        Assert.False(init.TryGetProperty("daemon", out var started) && started.GetProperty("service").ValueKind != JsonValueKind.Null, "no user manager here: no service");
        await SlowDownSyncthingsWatcherAsync();
        var pid = await daemon.PidAsync();
        Assert.NotNull(pid);
        await daemon.WaitAcceleratingAsync();

        var first = await WriteAndTimeIndexingAsync("hello.txt");
        output.WriteLine($"MEASURE daemon accelerator: write -> in the laptop SyncThing's index after {first.TotalMilliseconds:0} ms (watcher delay 10 s)");
        Assert.True(first < TimeSpan.FromSeconds(1), $"indexed after {first}; the daemon's accelerator should have scanned it at once");

        using (var process = Process.GetProcessById(pid.Value))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        Assert.False(daemon.Alive());
        var status = await CliRun.RunAsync(daemon.Environment, "sync", "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var restarted = await daemon.PidAsync();
        Assert.NotNull(restarted);
        Assert.NotEqual(pid, restarted);
        await daemon.WaitAcceleratingAsync();

        var second = await WriteAndTimeIndexingAsync("again.txt");
        output.WriteLine($"MEASURE daemon accelerator after kill -9 and restart by `status`: {second.TotalMilliseconds:0} ms");
        Assert.True(second < TimeSpan.FromSeconds(1), $"indexed after {second}; the restarted daemon's accelerator should have scanned it at once");
    }

    [Fact]
    public async Task The_daemon_follows_syncthing_going_away_and_coming_back_and_accelerates_again()
    {
        await InitAsync();
        await SlowDownSyncthingsWatcherAsync();
        await daemon.WaitAcceleratingAsync();

        await laptop.Process.DisposeAsync();
        await Wait.UntilAsync("the daemon to report SyncThing unreachable", async _ => !(await daemon.StatusAsync()).SyncthingReachable,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));
        var down = await CliRun.RunAsync(daemon.Environment, "sync", "status");
        Assert.Equal(Thopter.Laptop.ExitCodes.SyncthingUnreachable, down.ExitCode);
        Assert.Contains("start SyncThing", down.Error, StringComparison.Ordinal);
        await laptop.RestartAsync();
        await Wait.UntilAsync("the daemon to report SyncThing back", async _ => (await daemon.StatusAsync()).SyncthingReachable,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));
        using var client = Rest();
        await Wait.UntilAsync("folder code to be idle after the restart", async ct => (await client.GetFolderStatusAsync("code", ct)).State == "idle",
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

        var after = await WriteAndTimeIndexingAsync("after-restart.txt");
        output.WriteLine($"MEASURE daemon accelerator after a SyncThing restart: {after.TotalMilliseconds:0} ms");
        Assert.True(after < TimeSpan.FromSeconds(1), $"indexed after {after}");
    }

    [Fact]
    public async Task A_new_syncthing_api_key_is_picked_up_and_the_accelerator_scans_with_it()
    {
        await InitAsync();
        await SlowDownSyncthingsWatcherAsync();
        await daemon.WaitAcceleratingAsync();

        // What regenerating the key in SyncThing's GUI does: SyncThing rewrites config.xml with the new key.
        var key = $"thopter-test-{Guid.NewGuid():N}";
        using (var patch = await laptop.Client.PatchAsync("rest/config/gui", new StringContent($"{{\"apiKey\":\"{key}\"}}", System.Text.Encoding.UTF8, "application/json")))
        {
            patch.EnsureSuccessStatusCode();
        }

        using var client = new HttpClient { BaseAddress = laptop.RestAddress };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        await Wait.UntilAsync("SyncThing to answer to the new key", async ct => (await client.GetAsync("rest/system/ping", ct)).IsSuccessStatusCode,
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

        // Each write gets 1 s to be indexed (SyncThing's own watcher waits 10 s): only the daemon's accelerator, scanning
        // with the new key, indexes one in time. With the old key its scans are refused for good.
        var clock = Stopwatch.StartNew();
        var attempt = 0;
        await Wait.UntilAsync("a write indexed within 1 s, scanned by the daemon with the new key", async ct =>
        {
            var name = $"new-key-{attempt++}.txt";
            await File.WriteAllTextAsync(daemon.Home.Combine("code", name), name, ct);
            var written = Stopwatch.StartNew();
            while (written.Elapsed < TimeSpan.FromSeconds(1))
            {
                using var response = await client.GetAsync($"rest/db/file?folder=code&file={name}", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }

                await Task.Delay(20, ct);
            }

            return false;
        }, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        output.WriteLine($"MEASURE a new SyncThing API key: the daemon's accelerator scanned with it {clock.Elapsed.TotalSeconds:0.0} s after SyncThing took it ({attempt} writes)");
        await Wait.UntilAsync("the daemon to follow SyncThing's events with the new key", async _ => (await daemon.StatusAsync()).SyncthingReachable,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Status_watch_shows_a_devbox_disconnecting_at_once()
    {
        await InitAsync();
        await using var box = await LaptopSyncthing.StartAsync("box1", config => config.UpsertDevice(laptop.Home.AsPeer()));
        await PairByHandAsync(box);
        using (var connection = daemon.Connect())
        {
            await connection.Api.ReloadAsync(new ReloadRequest());
        }

        using var stdout = new StringWriter();
        using var stop = new CancellationTokenSource();
        var watch = ThopterCli.RunAsync(["sync", "status", "--watch", "--json"], daemon.Environment, TextWriter.Synchronized(stdout), TextWriter.Null, stop.Token);
        await Wait.UntilAsync("status --watch to show box1 connected", _ => Task.FromResult(Box1Connected(stdout) == true),
            TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60), () => Task.FromResult(stdout.ToString()));

        var clock = Stopwatch.StartNew();
        await box.Process.DisposeAsync();
        // Seen once (ci11): still connected after 10 s, no event ever recorded for box1. Say what SyncThing and the daemon thought.
        await Wait.UntilAsync("status --watch to show box1 disconnected", _ => Task.FromResult(Box1Connected(stdout) == false),
            TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10), async () => $"{stdout}\n{await ConnectionsAsync(box)}\n{await DaemonSaysAsync()}\n{DaemonLogTail()}");
        output.WriteLine($"MEASURE status --watch: devbox SyncThing stopped -> shown disconnected after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"shown after {clock.Elapsed}");

        await stop.CancelAsync();
        Assert.Equal(0, await watch.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Unpair_tells_the_daemon_which_then_no_longer_lists_the_devbox()
    {
        await InitAsync();
        await using var box = await LaptopSyncthing.StartAsync("box1", config => config.UpsertDevice(laptop.Home.AsPeer()));
        await PairByHandAsync(box);
        using (var connection = daemon.Connect())
        {
            await connection.Api.ReloadAsync(new ReloadRequest());
        }

        Assert.Single((await daemon.StatusAsync()).Devboxes);

        var unpair = await CliRun.RunAsync(daemon.Environment, "sync", "unpair", "box1");

        Assert.True(unpair.ExitCode == 0, unpair.ToString());
        Assert.Empty((await daemon.StatusAsync()).Devboxes);
    }

    private async Task<string> ConnectionsAsync(LaptopSyncthing box)
    {
        try
        {
            using var client = Rest();
            var connections = await client.GetConnectionsAsync();
            return $"laptop SyncThing: box1 connected={(connections.TryGetValue(box.DeviceId.ToString(), out var c) ? c.Connected.ToString() : "unknown device")}";
        }
        catch (Exception error) when (error is HttpRequestException or SyncthingApiException)
        {
            return $"laptop SyncThing unreadable: {error.Message}";
        }
    }

    /// <summary>
    /// The daemon's own view, which the watch only redraws from: tells a stale state from a missed redraw (and a daemon
    /// that no longer answers from both).
    /// </summary>
    private async Task<string> DaemonSaysAsync()
    {
        try
        {
            var box = (await daemon.StatusAsync().WaitAsync(TimeSpan.FromSeconds(5))).Devboxes.SingleOrDefault(d => d.Name == "box1");
            return box is null ? "daemon: no box1" : $"daemon: box1 connected={box.Connected}, lastActivity={box.LastActivity}";
        }
        catch (TimeoutException)
        {
            return "daemon: no answer to StatusAsync within 5 s";
        }
    }

    private SyncthingRestClient Rest() => new(laptop.RestAddress, new SyncthingApiKey(laptop.ApiKey));

    private string DaemonLogTail() =>
        File.Exists(daemon.Paths.Log) ? "daemon log:\n" + string.Join('\n', File.ReadLines(daemon.Paths.Log).TakeLast(40)) : $"no daemon log at {daemon.Paths.Log}";

    /// <summary>What pair records on the laptop side, without a devbox agent: the device in SyncThing and the entry in ~/.thopter.json.</summary>
    private async Task PairByHandAsync(LaptopSyncthing box)
    {
        using var client = Rest();
        await client.PutDeviceAsync(new RestDevice { DeviceId = box.DeviceId.ToString(), Name = "box1", Addresses = [box.Home.ListenAddress] });
        var settingsFile = new ThopterConfigFile(ThopterConfigFile.DefaultPath(daemon.Home.Path));
        var settings = settingsFile.Load();
        settings.Devboxes["box1"] = new DevboxEntry { DeviceId = box.DeviceId.ToString(), Transport = ["true"] };
        settingsFile.Save(settings);
    }

    private static bool? Box1Connected(StringWriter stdout)
    {
        var last = DaemonHome.Documents(stdout.ToString()).LastOrDefault();
        if (last.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var row = last.GetProperty("devboxes").EnumerateArray().FirstOrDefault(d => d.GetProperty("name").GetString() == "box1");
        return row.ValueKind == JsonValueKind.Object ? row.GetProperty("connected").GetBoolean() : null;
    }

    private async Task<JsonElement> InitAsync()
    {
        var init = await CliRun.RunAsync(daemon.Environment, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code", "--json");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(daemon.Alive(), "init returned, but no daemon runs");
        return JsonDocument.Parse(init.Output).RootElement.Clone();
    }

    private async Task SlowDownSyncthingsWatcherAsync()
    {
        using var client = Rest();
        var folder = (await client.GetFolderAsync("code"))!;
        folder.FsWatcherDelayS = 10;
        await client.PutFolderAsync(folder);
        await Wait.UntilAsync("folder code to be idle", async ct => (await client.GetFolderStatusAsync("code", ct)).State == "idle",
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
    }

    private async Task<TimeSpan> WriteAndTimeIndexingAsync(string name)
    {
        await File.WriteAllTextAsync(daemon.Home.Combine("code", name), name);
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync($"{name} in the laptop SyncThing's index", ct => IndexedAsync(name, ct), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(15));
        return clock.Elapsed;
    }

    private async Task<bool> IndexedAsync(string name, CancellationToken ct)
    {
        using var response = await laptop.Client.GetAsync($"rest/db/file?folder=code&file={Uri.EscapeDataString(name)}", ct);
        return response.StatusCode == HttpStatusCode.OK;
    }
}
