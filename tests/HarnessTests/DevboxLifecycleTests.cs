using Thopter.Shared.Timing;
using Thopter.Tests.Harness.Docker;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.HarnessTests;

/// <summary>Tests that change a devbox's life (snapshot, stop, failure) start their own devboxes.</summary>
[Trait("Category", "Integration")]
public sealed class DevboxLifecycleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly DockerCli docker = new(new Thopter.Shared.Processes.ProcessRunner());

    public Task InitializeAsync() => DevboxFixture.SweepDeadRunsOnceAsync(docker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_snapshot_clone_has_the_files_and_machine_id_but_its_own_hostname()
    {
        await using var original = await Devbox.StartAsync(new DevboxOptions());
        await original.WriteFileAsync("/home/dev/marker.txt", "written before the snapshot\n", owner: "dev");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var snapshot = await original.SnapshotAsync();
        await using var clone = await snapshot.StartCloneAsync("clone-of-devbox");
        output.WriteLine($"commit {snapshot.CommitTime.TotalMilliseconds:0} ms, clone boot-to-ready {clone.BootTime.TotalMilliseconds:0} ms, snapshot+clone {clock.ElapsedMilliseconds} ms");

        Assert.Equal("written before the snapshot\n", await clone.ReadFileAsync("/home/dev/marker.txt", user: "dev"));
        Assert.Equal("clone-of-devbox", (await clone.ExecAsync("root", "hostname")).StandardOutput.Trim());
        Assert.NotEqual((await original.ExecAsync("root", "hostname")).StandardOutput, (await clone.ExecAsync("root", "hostname")).StandardOutput);
        Assert.Equal(await original.ReadFileAsync("/etc/machine-id"), await clone.ReadFileAsync("/etc/machine-id"));
        Assert.Contains((await clone.ExecAsync("dev", "systemctl", "--user", "is-system-running")).StandardOutput.Trim(), new[] { "running", "degraded" });
    }

    [Fact]
    public async Task Stop_and_start_again_keeps_the_disk_and_boots_systemd_again()
    {
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        await devbox.WriteFileAsync("/home/dev/kept.txt", "kept\n", owner: "dev");

        await devbox.StopAsync();
        Assert.False(await devbox.IsRunningAsync());
        await devbox.StartAgainAsync();
        output.WriteLine($"resume boot-to-ready: {devbox.BootTime.TotalMilliseconds:0} ms");

        Assert.Equal("kept\n", await devbox.ReadFileAsync("/home/dev/kept.txt"));
        Assert.Contains((await devbox.ExecAsync("dev", "systemctl", "--user", "is-system-running")).StandardOutput.Trim(), new[] { "running", "degraded" });
    }

    [Fact]
    public async Task Kill_stops_the_container_and_the_log_tail_shows_systemd_booting()
    {
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());

        Assert.Contains("systemd", await devbox.LogTailAsync(200), StringComparison.OrdinalIgnoreCase);
        await devbox.KillAsync();
        Assert.False(await devbox.IsRunningAsync());
    }

    [Fact]
    public async Task A_devbox_that_never_gets_ready_times_out_with_what_it_waited_for_and_leaves_no_container()
    {
        var testLabel = Guid.NewGuid().ToString("N");
        var impossible = new DevboxOptions { User = "nosuchuser" }
            .WithReadyTimeout(TimeSpan.FromSeconds(4))
            .WithLabel("thopter.test.case", testLabel);

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Devbox.StartAsync(impossible));

        Assert.Contains("nosuchuser's user manager", error.Message, StringComparison.Ordinal);
        Assert.Contains("last log lines:", error.Message, StringComparison.Ordinal);
        var left = await docker.RunAsync("ps", "-a", "-q", "--filter", $"label=thopter.test.case={testLabel}");
        Assert.Equal(string.Empty, left);
    }

    [Fact]
    public async Task The_sweeper_removes_containers_and_images_of_dead_runs_and_keeps_live_ones()
    {
        var dead = await docker.RunAsync(
            "create", "--label", "thopter.test=1", "--label", "thopter.test.run=dead-run", "--label", "thopter.test.pid=999999999",
            "--label", "thopter.test.pidstart=0", new DevboxOptions().Image, "true");
        var deadImage = await docker.RunAsync("commit", "--change", "LABEL thopter.test.pid=999999999", "--change", "LABEL thopter.test.pidstart=0", dead);
        var live = await docker.RunAsync(["create", .. TestRunLabels.Current.AsLabelArguments(), new DevboxOptions().Image, "true"]);
        try
        {
            await new LeftoverSweeper(docker).SweepDeadRunsAsync();

            Assert.False((await docker.TryRunAsync(["inspect", dead])).Succeeded);
            Assert.False((await docker.TryRunAsync(["image", "inspect", deadImage])).Succeeded);
            Assert.True((await docker.TryRunAsync(["inspect", live])).Succeeded);
        }
        finally
        {
            await docker.TryRunAsync(["rm", "-f", dead, live]);
            await docker.TryRunAsync(["rmi", "-f", deadImage]);
        }
    }

    [Fact]
    public async Task The_reaper_removes_what_a_killed_process_owned()
    {
        using var owner = System.Diagnostics.Process.Start("sleep", "60");
        var startTime = TestRunLabels.ProcessStartTime(owner.Id)!;
        var pid = owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var orphan = await docker.RunAsync(
            "create", "--label", "thopter.test=1", "--label", "thopter.test.run=reaper-test", "--label", $"thopter.test.pid={pid}",
            "--label", $"thopter.test.pidstart={startTime}", new DevboxOptions().Image, "true");
        try
        {
            RunReaper.Start(owner.Id, startTime);
            await Task.Delay(1500);
            Assert.True((await docker.TryRunAsync(["inspect", orphan])).Succeeded, "the reaper must wait while the owner lives");

            owner.Kill();
            await Wait.UntilAsync(
                "the reaper to remove the killed owner's container",
                async _ => !(await docker.TryRunAsync(["inspect", orphan])).Succeeded,
                TimeSpan.FromMilliseconds(250),
                TimeSpan.FromSeconds(30));
        }
        finally
        {
            await docker.TryRunAsync(["rm", "-f", orphan]);
        }
    }

    [Fact]
    public void Invalid_options_are_refused_before_docker_is_touched()
    {
        Assert.Throws<ArgumentException>(() => new DevboxOptions().WithHostname("bad_host name").Validate());
        Assert.Throws<ArgumentException>(() => new DevboxOptions().WithImage(" ").Validate());
        Assert.Throws<ArgumentException>(() => new DevboxOptions().WithLabel(TestRunLabels.Run, "x").Validate());
    }
}
