using System.Diagnostics;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Docker;
using Thopter.Shared.Timing;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.Agent.Supervision;

/// <summary>
/// The real AOT agent's `run` supervising the real SyncThing inside a devbox, detached the way the
/// fallback launches it (setsid, stdio to a log file, pid file), as user dev.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunInDevboxTests(ITestOutputHelper output)
{
    private const string Bin = "/home/dev/bin";
    private const string State = "/home/dev/.local/state/thopter";
    private const string PidFile = State + "/supervisor.pid";
    private const string LogFile = State + "/supervisor.log";

    [Fact]
    public async Task Run_restarts_SyncThing_after_a_crash_and_a_restart_request_and_stops_it_cleanly_on_SIGTERM()
    {
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var hostDir = Directory.CreateTempSubdirectory("thopter-run-");
        try
        {
            var home = SyncthingTestHome.Create(Path.Combine(hostDir.FullName, "st"), "devbox-run");
            (await devbox.ExecAsync("dev", "mkdir", "-p", Bin, State)).EnsureSuccess();
            await devbox.CopyInAsync(home.HomeDir, "/home/dev/st", owner: "dev");
            await devbox.CopyInAsync("/usr/bin/syncthing", $"{Bin}/syncthing", owner: "dev");
            await devbox.CopyInAsync(AgentBinary(), $"{Bin}/thopter-agent", owner: "dev");
            using var api = new HttpClient { BaseAddress = home.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            api.DefaultRequestHeaders.Add("X-API-Key", home.ApiKey);

            (await devbox.ShellAsync(
                "dev",
                $"setsid {Bin}/thopter-agent run --syncthing={Bin}/syncthing --home=/home/dev/st --pid-file={PidFile} --log-file={LogFile} </dev/null >/dev/null 2>&1 &",
                new ExecOptions { WithUserBus = false })).EnsureSuccess();
            var firstStart = await SyncthingStarts.WaitForNewAsync(api, null, () => devbox.ReadFileAsync(LogFile));
            var supervisorPid = (await devbox.ReadFileAsync(PidFile)).Trim();

            // A crash: SIGKILL SyncThing (the supervisor's child) and expect a new instance.
            var clock = Stopwatch.StartNew();
            (await devbox.ShellAsync("root", $"kill -9 $(pgrep -P {supervisorPid})")).EnsureSuccess();
            var afterCrash = await SyncthingStarts.WaitForNewAsync(api, firstStart, () => devbox.ReadFileAsync(LogFile));
            output.WriteLine($"SIGKILL -> REST answering again from a new SyncThing: {clock.ElapsedMilliseconds} ms");
            await LogMentionsAsync(devbox, "crashed (exit 137)");

            // SyncThing's own restart request exits with code 3: restarted at once, not counted as a crash.
            clock.Restart();
            (await api.PostAsync("rest/system/restart", null)).EnsureSuccessStatusCode();
            await SyncthingStarts.WaitForNewAsync(api, afterCrash, () => devbox.ReadFileAsync(LogFile));
            output.WriteLine($"REST restart (exit 3) -> answering again: {clock.ElapsedMilliseconds} ms");
            await LogMentionsAsync(devbox, "asked to be restarted (exit 3)");
            Assert.Equal(supervisorPid, (await devbox.ReadFileAsync(PidFile)).Trim());

            // SIGTERM: SyncThing shuts down cleanly, nothing is left running, the pid file goes.
            (await devbox.ExecAsync("root", "kill", "-TERM", supervisorPid)).EnsureSuccess();
            await Wait.UntilAsync(
                "the supervisor and SyncThing to exit",
                async _ => !(await devbox.ExecAsync("root", "pgrep", "-u", "dev", "-f", $"{Bin}/")).Succeeded,
                TimeSpan.FromMilliseconds(200),
                TimeSpan.FromSeconds(30),
                () => devbox.ReadFileAsync(LogFile));
            var log = await devbox.ReadFileAsync(LogFile);
            Assert.Contains("SyncThing stopped (exit 0)", log, StringComparison.Ordinal);
            Assert.False((await devbox.ExecAsync("root", "test", "-e", PidFile)).Succeeded);
        }
        finally
        {
            hostDir.Delete(recursive: true);
        }
    }

    // The supervisor's console logger writes from a background queue, so a line can land a moment
    // after the restart it describes: wait for it instead of reading the log once.
    private static Task LogMentionsAsync(Devbox devbox, string text) => Wait.UntilAsync(
        $"the supervisor log to mention \"{text}\"",
        async _ => (await devbox.ReadFileAsync(LogFile)).Contains(text, StringComparison.Ordinal),
        TimeSpan.FromMilliseconds(100),
        TimeSpan.FromSeconds(10),
        () => devbox.ReadFileAsync(LogFile));

    private static string AgentBinary()
    {
        if (Environment.GetEnvironmentVariable("THOPTER_AGENT_BINARY") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "agent", "thopter-agent");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no agent binary: run scripts/publish-agent.sh or set THOPTER_AGENT_BINARY");
    }
}
