using Thopter.Shared.Processes;
using Thopter.Tests.Harness.Docker;
using Xunit;

namespace Thopter.Tests.HarnessTests;

/// <summary>The docker command lines the devbox fixture issues, checked through a recording fake runner (no Docker needed).</summary>
public sealed class DevboxCommandTests
{
    [Fact]
    public async Task Start_boots_systemd_on_the_host_network_with_the_run_labels_and_waits_for_both_managers()
    {
        var runner = new RecordingRunner();

        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithImage("img:1").WithHostname("box-1"), new DockerCli(runner));

        var run = runner.Calls[0];
        Assert.Equal("run", run[0]);
        Assert.Contains("--network host", string.Join(' ', run), StringComparison.Ordinal);
        Assert.Contains("--hostname box-1", string.Join(' ', run), StringComparison.Ordinal);
        Assert.Contains("seccomp=unconfined", run);
        Assert.Contains("--cgroupns=private", run);
        Assert.Contains($"{TestRunLabels.Run}={TestRunLabels.Current.RunId}", run);
        Assert.Contains($"{TestRunLabels.Pid}={Environment.ProcessId}", run);
        Assert.Equal(["img:1", "/lib/systemd/systemd"], run.TakeLast(2).ToArray());
        Assert.Contains(runner.Calls, call => call[0] == "exec" && call.Contains("--user") && call.Contains("XDG_RUNTIME_DIR=/run/user/1000"));
    }

    [Fact]
    public async Task Start_without_systemd_runs_docker_init_and_sleep()
    {
        var runner = new RecordingRunner();

        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithImage("img:1").WithoutSystemd(), new DockerCli(runner));

        Assert.Equal(["--init", "--tmpfs", "/run", "img:1", "sleep", "infinity"], runner.Calls[0].TakeLast(6).ToArray());
        Assert.DoesNotContain("/lib/systemd/systemd", runner.Calls[0]);
    }

    [Fact]
    public void The_owner_check_tells_this_live_process_from_dead_or_recycled_pids()
    {
        var self = TestRunLabels.Current;

        Assert.True(TestRunLabels.IsOwnerAlive(self.OwnerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), self.OwnerStartTime));
        Assert.False(TestRunLabels.IsOwnerAlive(self.OwnerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "1"));
        Assert.False(TestRunLabels.IsOwnerAlive("999999999", self.OwnerStartTime));
        Assert.False(TestRunLabels.IsOwnerAlive("not-a-pid", self.OwnerStartTime));
    }

    /// <summary>Answers every docker call with success; `systemctl ... is-system-running` answers "running", `id -u` answers 1000.</summary>
    private sealed class RecordingRunner : IProcessRunner
    {
        public List<IReadOnlyList<string>> Calls { get; } = [];

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add(spec.Arguments);
            }

            var stdout = spec.Arguments switch
            {
                [.., "is-system-running"] => "running\n",
                [.., "id", "-u", _] => "1000\n",
                ["run", ..] => "c0ffee\n",
                _ => string.Empty,
            };
            return Task.FromResult(new ProcessResult(0, stdout, string.Empty, TimeSpan.Zero));
        }
    }
}
