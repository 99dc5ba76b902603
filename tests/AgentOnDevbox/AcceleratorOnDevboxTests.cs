using System.Diagnostics;
using System.Net;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// The accelerator wired in by setup, in a real devbox with the real AOT agent and SyncThing: with SyncThing's own
/// watcher delay raised to 10 s, a file written in the folder must be in SyncThing's index within about a second, which
/// only an immediate targeted scan can do. --no-accelerator is the control: then the file is not indexed that soon.
/// Devboxes share the host network, so the test reads the devbox SyncThing's REST API directly.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AcceleratorOnDevboxTests(ITestOutputHelper output)
{
    private const string AcceleratorUnit = "thopter-accelerator.service";
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Under_systemd_setup_runs_the_accelerator_unit_and_no_accelerator_turns_it_off()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);

        var setup = await agent.SetupAsync();
        Assert.Equal("active/running", setup.GetProperty("supervisor").GetProperty("accelerator").GetString());
        Assert.True(await UnitActiveAsync(devbox, AcceleratorUnit));
        await AssertNotifiedReadyWhileWatchingAsync(devbox);

        // Re-running setup changes nothing and keeps the accelerator running (same pid).
        var pid = await MainPidAsync(devbox, AcceleratorUnit);
        Assert.Equal("active/running", (await agent.SetupAsync()).GetProperty("supervisor").GetProperty("accelerator").GetString());
        Assert.Equal(pid, await MainPidAsync(devbox, AcceleratorUnit));

        using var api = await ApiAsync(agent);
        await SlowDownSyncthingsOwnWatcherAsync(api);

        var seen = await WriteAndTimeIndexAsync(devbox, api, "accelerated.txt", TimeSpan.FromSeconds(5));
        output.WriteLine($"MEASURE systemd devbox: write -> in SyncThing's index after {seen.TotalMilliseconds:0} ms (watcher delay 10 s)");
        Assert.True(seen < Prompt, $"the file took {seen} to be indexed; the accelerator should have scanned it at once");

        // Control: without the accelerator SyncThing only notices after its own (raised) delay.
        var off = await RunSetupAsync(agent, "--no-accelerator");
        Assert.Equal("off", off.GetProperty("supervisor").GetProperty("accelerator").GetString());
        Assert.False((await devbox.ExecAsync("dev", "test", "-e", "/home/dev/.config/systemd/user/" + AcceleratorUnit)).Succeeded);
        await SlowDownSyncthingsOwnWatcherAsync(api);
        var unaccelerated = await WriteAndTimeIndexAsync(devbox, api, "plain.txt", TimeSpan.FromSeconds(30));
        output.WriteLine($"MEASURE systemd devbox --no-accelerator: write -> indexed after {unaccelerated.TotalMilliseconds:0} ms");
        Assert.True(unaccelerated > TimeSpan.FromSeconds(3), $"indexed after {unaccelerated} without the accelerator: the control is not slow, so the fast case proves nothing");

        // Back on, then uninstall removes both units.
        Assert.Equal("active/running", (await agent.SetupAsync()).GetProperty("supervisor").GetProperty("accelerator").GetString());
        (await agent.RunAsync("uninstall")).EnsureSuccess();
        Assert.False(await UnitActiveAsync(devbox, AcceleratorUnit));
        Assert.Equal("0", (await devbox.ShellAsync("dev", "ls ~/.config/systemd/user/*.service 2>/dev/null | wc -l")).EnsureSuccess().StandardOutput.Trim());
    }

    [Fact]
    public async Task The_fallback_supervisor_runs_the_accelerator_in_its_process()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithoutSystemd());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);

        var setup = await agent.SetupAsync(withUserBus: false);
        Assert.Equal("fallback", setup.GetProperty("supervisor").GetProperty("kind").GetString());
        Assert.Equal("in-supervisor", setup.GetProperty("supervisor").GetProperty("accelerator").GetString());
        Assert.Contains("--accelerate", (await devbox.ShellAsync("dev", "tr '\\0' ' ' < /proc/$(cat ~/.local/state/thopter/supervisor.pid)/cmdline")).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
        using var api = await ApiAsync(agent);
        await SlowDownSyncthingsOwnWatcherAsync(api);

        var seen = await WriteAndTimeIndexAsync(devbox, api, "accelerated.txt", TimeSpan.FromSeconds(5));
        output.WriteLine($"MEASURE fallback devbox: write -> in SyncThing's index after {seen.TotalMilliseconds:0} ms (watcher delay 10 s)");
        Assert.True(seen < Prompt, $"the file took {seen} to be indexed\n{await devbox.ShellAsync("dev", "tail -20 ~/.local/state/thopter/supervisor.log")}");
    }

    /// <summary>
    /// A conflict copy's download SyncThing left in the tree while the accelerator was down (the laptop's removal cut it
    /// short) is deleted when the accelerator starts; SyncThing's temp file of an ordinary file and a user's file named
    /// like a conflict copy stay.
    /// </summary>
    [Fact]
    public async Task A_conflict_copy_download_left_while_the_accelerator_was_down_is_swept_at_its_start()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        await agent.SetupAsync();
        await SystemctlAsync(devbox, "stop", AcceleratorUnit);

        const string left = "src/.syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp";
        string[] kept = ["src/.syncthing.notes.txt.tmp", "src/notes.sync-conflict-20261130-133549-RODVKG4.txt"];
        var paths = string.Join(' ', kept.Append(left).Select(p => $"/home/dev/code/{p}"));
        (await devbox.ShellAsync("dev", $"mkdir -p /home/dev/code/src && for f in {paths}; do echo half > \"$f\"; done")).EnsureSuccess();

        await SystemctlAsync(devbox, "start", AcceleratorUnit);
        await Wait.UntilAsync("the left download swept", async _ => !(await devbox.ExecAsync("dev", "test", "-e", $"/home/dev/code/{left}")).Succeeded,
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(20));
        foreach (var path in kept)
        {
            Assert.True((await devbox.ExecAsync("dev", "test", "-f", $"/home/dev/code/{path}")).Succeeded, path);
        }
    }

    [Fact]
    public async Task Accelerate_without_a_setup_is_a_startup_error()
    {
        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithoutSystemd());

        var result = await devbox.ExecAsync("dev", "thopter-agent", "accelerate");

        AgentCli.AssertError(result, "not-set-up", 50);
    }

    private static async Task<System.Text.Json.JsonElement> RunSetupAsync(AgentCli agent, params string[] extra)
    {
        var result = await agent.RunAsync([.. agent.SetupArguments(), .. extra]);
        Assert.True(result.ExitCode == 0, $"setup exited {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return AgentCli.Json(result);
    }

    private static async Task<DevboxApi> ApiAsync(AgentCli agent)
    {
        var key = (await agent.ConfigAsync()).Gui!.ApiKey;
        return new DevboxApi(new Uri($"http://127.0.0.1:{agent.GuiPort}/"), key);
    }

    /// <summary>fsWatcherDelayS 10: SyncThing's own watcher alone would take about 10 s, so a fast index is the accelerator's.</summary>
    private static async Task SlowDownSyncthingsOwnWatcherAsync(DevboxApi api)
    {
        var folder = (await api.Client.GetFolderAsync("code"))!;
        if (folder.FsWatcherDelayS != 10)
        {
            folder.FsWatcherDelayS = 10;
            await api.Client.PutFolderAsync(folder);
        }

        await Wait.UntilAsync("folder code to be idle", async ct => (await api.Client.GetFolderStatusAsync("code", ct)).State == "idle",
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
    }

    /// <summary>Writes the file inside the devbox and measures from the write's return until SyncThing's index has it.</summary>
    private static async Task<TimeSpan> WriteAndTimeIndexAsync(Devbox devbox, DevboxApi api, string name, TimeSpan timeout)
    {
        Assert.False(await api.IndexedAsync(name));
        (await devbox.ShellAsync("dev", $"echo hello > /home/dev/code/{name}")).EnsureSuccess();
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync($"{name} in the devbox SyncThing's index", ct => api.IndexedAsync(name, ct), TimeSpan.FromMilliseconds(20), timeout);
        return clock.Elapsed;
    }

    /// <summary>
    /// Type=notify: the unit went active through sd_notify, and its status text, sent just before READY=1, says it
    /// watches the folder (a Type=simple unit ignores both). Its log lines reach the journal through the systemd console
    /// format (priority prefix, no console timestamp or level word).
    /// </summary>
    private static async Task AssertNotifiedReadyWhileWatchingAsync(Devbox devbox)
    {
        var show = (await devbox.ExecAsync("dev", ["systemctl", "--user", "show", "-p", "Type", "-p", "StatusText", AcceleratorUnit], new ExecOptions { WithUserBus = true }))
            .EnsureSuccess().StandardOutput;
        Assert.Contains("Type=notify", show, StringComparison.Ordinal);
        Assert.Contains("StatusText=accelerating 1 folder(s)", show, StringComparison.Ordinal);

        var journal = "";
        await Wait.UntilAsync("the accelerator's 'accelerating' line in the journal", async _ =>
            {
                journal = (await devbox.ShellAsync("root", $"journalctl --no-pager _SYSTEMD_USER_UNIT={AcceleratorUnit} -o json --output-fields=MESSAGE,PRIORITY | grep accelerating || true"))
                    .EnsureSuccess().StandardOutput;
                return journal.Length > 0;
            },
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        using var line = System.Text.Json.JsonDocument.Parse(journal.Split('\n')[0]);
        var message = line.RootElement.GetProperty("MESSAGE").GetString()!;
        Assert.Equal("6", line.RootElement.GetProperty("PRIORITY").GetString());
        // ThopterLog's journal template: journald took the <6> prefix as the priority, no timestamp of ours in the text.
        Assert.StartsWith("Thopter.Agent.Acceleration.AcceleratorService: accelerating", message, StringComparison.Ordinal);
    }

    private static async Task SystemctlAsync(Devbox devbox, string verb, string unit) =>
        (await devbox.ExecAsync("dev", ["systemctl", "--user", verb, unit], new ExecOptions { WithUserBus = true })).EnsureSuccess();

    private static async Task<bool> UnitActiveAsync(Devbox devbox, string unit) =>
        (await devbox.ExecAsync("dev", ["systemctl", "--user", "is-active", unit], new ExecOptions { WithUserBus = true })).StandardOutput.Trim() == "active";

    private static async Task<string> MainPidAsync(Devbox devbox, string unit) =>
        (await devbox.ExecAsync("dev", ["systemctl", "--user", "show", "-p", "MainPID", "--value", unit], new ExecOptions { WithUserBus = true }))
            .EnsureSuccess().StandardOutput.Trim();

    /// <summary>The devbox SyncThing's REST API, plus GET /rest/db/file which the shared client does not need elsewhere.</summary>
    private sealed class DevboxApi(Uri address, string apiKey) : IDisposable
    {
        private readonly HttpClient _http = new() { BaseAddress = address, DefaultRequestHeaders = { { "X-API-Key", apiKey } } };

        public SyncthingRestClient Client { get; } = new(address, new SyncthingApiKey(apiKey));

        public async Task<bool> IndexedAsync(string name, CancellationToken ct = default)
        {
            using var response = await _http.GetAsync($"rest/db/file?folder=code&file={Uri.EscapeDataString(name)}", ct);
            return response.StatusCode == HttpStatusCode.OK;
        }

        public void Dispose()
        {
            _http.Dispose();
            Client.Dispose();
        }
    }
}
