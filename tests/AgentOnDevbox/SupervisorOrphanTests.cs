using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// kill -9 of the fallback supervisor (`thopter-agent run`) leaves its SyncThing running with no one watching it. That
/// orphan is never taken for healthy, setup replaces it with a supervised SyncThing (no crash loop on "another
/// instance"), and uninstall stops it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SupervisorOrphanTests(ITestOutputHelper output)
{
    private const string PidFile = "/home/dev/.local/state/thopter/supervisor.pid";
    private const string LogFile = "/home/dev/.local/state/thopter/supervisor.log";

    [Fact]
    public async Task Killing_the_fallback_supervisor_leaves_no_orphan_and_no_false_health()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithoutSystemd());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        await agent.SetupAsync(withUserBus: false);

        var orphans = await KillSupervisorAsync(devbox);
        var (healthy, status) = await agent.StatusAsync(withUserBus: false);
        output.WriteLine($"status with an orphan: {status}");
        Assert.False(healthy, "status called an unsupervised SyncThing healthy");

        // Setup again (what a re-pair runs): one SyncThing, the supervisor's own child, and it stays up.
        await agent.SetupAsync(withUserBus: false);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var supervisor = (await devbox.ReadFileAsync(PidFile)).Trim();
        var serving = await ServingAsync(devbox);
        output.WriteLine($"after setup: supervisor {supervisor}, SyncThing (pid ppid) {string.Join(", ", serving)}");
        Assert.DoesNotContain(serving, s => orphans.Contains(s.Pid));
        Assert.NotEmpty(serving);
        AssertAllUnder(supervisor, serving);
        var log = await devbox.ReadFileAsync(LogFile);
        Assert.DoesNotContain("restarting in", log, StringComparison.Ordinal);
        Assert.True((await agent.StatusAsync(withUserBus: false)).Healthy);

        // Uninstall with the supervisor gone: the orphan is stopped too.
        await KillSupervisorAsync(devbox);
        (await agent.RunAsync(["uninstall"], withUserBus: false)).EnsureSuccess();
        Assert.Empty(await ServingAsync(devbox));
    }

    /// <summary>kill -9 of the supervisor; returns the pids of the SyncThing (1.x: monitor and inner process) it leaves running.</summary>
    private static async Task<IReadOnlyList<string>> KillSupervisorAsync(Devbox devbox)
    {
        var supervisor = (await devbox.ReadFileAsync(PidFile)).Trim();
        var serving = await ServingAsync(devbox);
        AssertAllUnder(supervisor, serving);
        (await devbox.ExecAsync("dev", "kill", "-9", supervisor)).EnsureSuccess();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var left = (await ServingAsync(devbox)).Select(s => s.Pid).ToList();
        Assert.All(serving, s => Assert.Contains(s.Pid, left));
        return left;
    }

    /// <summary>Every process is the supervisor's child or the child of one of them (SyncThing 1.x's monitor runs the inner process).</summary>
    private static void AssertAllUnder(string supervisor, IReadOnlyList<(string Pid, string Parent)> serving) =>
        Assert.All(serving, s => Assert.True(s.Parent == supervisor || serving.Any(other => other.Pid == s.Parent), $"SyncThing {s.Pid} (parent {s.Parent}) is not under supervisor {supervisor}"));

    /// <summary>Every `syncthing serve` of user dev, with its parent pid.</summary>
    private static async Task<IReadOnlyList<(string Pid, string Parent)>> ServingAsync(Devbox devbox)
    {
        var listing = (await devbox.ShellAsync("dev", "pgrep -u dev -f '[s]yncthing serve' | while read p; do echo \"$p $(ps -o ppid= -p $p)\"; done")).StandardOutput;
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2)
            .Select(parts => (parts[0], parts[1]))
            .ToList();
    }
}
