using Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using Thopter.Agent.Supervision;
using Thopter.Agent.Systemd;

namespace Thopter.Tests.Agent.Supervision;

public sealed class SyncthingSupervisorTests
{
    private static readonly SyncthingServiceSpec Spec = new("/usr/bin/syncthing", "/home/dev/st");

    private static SyncthingSupervisor Supervisor(FakeChildProcessLauncher launcher, TimeSpan? grace = null, FakeStartCheck? check = null) =>
        new(launcher, check ?? new FakeStartCheck(), Spec, new RestartPolicy(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), TimeSpan.FromHours(1)), NullLogger<SyncthingSupervisor>.Instance)
        {
            StopGracePeriod = grace ?? TimeSpan.FromSeconds(5),
        };

    [Fact]
    public async Task Restart_codes_and_crashes_restart_until_a_clean_exit()
    {
        var launcher = new FakeChildProcessLauncher(3, 4, 1, 137, 0);
        var supervisor = Supervisor(launcher);

        var exitCode = await supervisor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exitCode);
        Assert.Equal(5, supervisor.Starts);
    }

    [Fact]
    public async Task The_start_check_runs_before_every_start()
    {
        var launcher = new FakeChildProcessLauncher(3, 1, 0);
        var check = new FakeStartCheck();

        await Supervisor(launcher, check: check).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, check.Checks);
        Assert.Equal(3, launcher.Started.Count);
    }

    [Fact]
    public async Task A_failed_start_check_keeps_SyncThing_down()
    {
        var launcher = new FakeChildProcessLauncher();

        var exitCode = await Supervisor(launcher, check: new FakeStartCheck(new IOException("key.pem is not writable")))
            .RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncthingSupervisor.CannotStartExitCode, exitCode);
        Assert.Empty(launcher.Started);
    }

    [Fact]
    public async Task SyncThing_runs_with_the_specs_binary_arguments_and_environment()
    {
        var launcher = new FakeChildProcessLauncher(0);

        await Supervisor(launcher).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var child = Assert.Single(launcher.Started);
        Assert.Equal("/usr/bin/syncthing", child.FileName);
        Assert.Equal(["serve", "--no-browser", "--no-restart", "--logflags=0", "--home=/home/dev/st"], child.Arguments);
        Assert.Equal("1", child.Environment["STNOUPGRADE"]);
    }

    [Fact]
    public async Task Stopping_terminates_SyncThing_and_returns_zero()
    {
        var launcher = new FakeChildProcessLauncher();
        using var stop = new CancellationTokenSource();
        var run = Supervisor(launcher).RunAsync(stop.Token);
        await WaitForStarts(launcher, 1);

        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(10));

        var child = Assert.Single(launcher.Started);
        Assert.Equal(0, exitCode);
        Assert.True(child.Terminated);
        Assert.False(child.Killed);
    }

    [Fact]
    public async Task SyncThing_ignoring_SIGTERM_is_killed_after_the_grace_period()
    {
        var launcher = new FakeChildProcessLauncher { IgnoreTerminate = true };
        using var stop = new CancellationTokenSource();
        var run = Supervisor(launcher, TimeSpan.FromMilliseconds(50)).RunAsync(stop.Token);
        await WaitForStarts(launcher, 1);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var child = Assert.Single(launcher.Started);
        Assert.True(child.Terminated);
        Assert.True(child.Killed);
    }

    [Fact]
    public async Task Stopping_during_a_backoff_does_not_start_SyncThing_again()
    {
        var launcher = new FakeChildProcessLauncher(1);
        var slow = new SyncthingSupervisor(
            launcher, new FakeStartCheck(), Spec, new RestartPolicy(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)), NullLogger<SyncthingSupervisor>.Instance);
        using var stop = new CancellationTokenSource();
        var run = slow.RunAsync(stop.Token);
        await WaitForStarts(launcher, 1);

        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exitCode);
        Assert.Single(launcher.Started);
    }

    [Fact]
    public async Task A_binary_that_cannot_start_ends_the_supervisor_with_127()
    {
        // The real launcher against a path that does not exist: no restart loop, one clear exit code.
        var missing = new SyncthingServiceSpec($"/nonexistent/{Guid.NewGuid():N}/syncthing", "/tmp/thopter-st");
        var supervisor = new SyncthingSupervisor(new ChildProcessLauncher(), new FakeStartCheck(), missing, RestartPolicy.Default(), NullLogger<SyncthingSupervisor>.Instance);

        var exitCode = await supervisor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SyncthingSupervisor.CannotStartExitCode, exitCode);
    }

    [Fact]
    public async Task The_real_launcher_reports_a_real_exit_code()
    {
        // /bin/false ignores SyncThing's arguments and exits 1: a crash, so it is restarted until stopped.
        var crashing = new SyncthingServiceSpec("/bin/false", "/tmp/thopter-st");
        var supervisor = new SyncthingSupervisor(
            new ChildProcessLauncher(), new FakeStartCheck(), crashing, new RestartPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromHours(1)),
            NullLogger<SyncthingSupervisor>.Instance);
        using var stop = new CancellationTokenSource();
        var run = supervisor.RunAsync(stop.Token);
        await Thopter.Shared.Timing.Wait.UntilAsync(
            "3 restarts of /bin/false", _ => Task.FromResult(supervisor.Starts >= 3), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));

        await stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static Task WaitForStarts(FakeChildProcessLauncher launcher, int count) =>
        Thopter.Shared.Timing.Wait.UntilAsync(
            $"{count} start(s)", _ => Task.FromResult(launcher.Started.Count >= count), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(10));
}
