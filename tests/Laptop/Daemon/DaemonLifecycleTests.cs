using System.Text.Json;
using Thopter.Laptop;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Daemon.Host;
using Thopter.Laptop.ThopterConfig;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>
/// Starting, replacing, refusing and stopping the real daemon through the CLI. An "older" or "newer" daemon is the
/// same code run in the test process with another version: the only way to have two builds here.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DaemonLifecycleTests : IAsyncLifetime
{
    private readonly DaemonHome daemon = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Fact]
    public async Task An_older_daemon_is_replaced_by_this_cli()
    {
        await using var old = await InProcessDaemon.StartAsync(daemon, "0.0.1");

        var start = await CliRun.RunAsync(daemon.Environment, "sync", "daemon", "start", "--json");

        Assert.True(start.ExitCode == 0, start.ToString());
        await old.Run.WaitAsync(TimeSpan.FromSeconds(30));
        var now = JsonDocument.Parse(start.Output).RootElement;
        Assert.Equal(DaemonVersion.Current, now.GetProperty("version").GetString());
        Assert.NotEqual(Environment.ProcessId, now.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task A_newer_daemon_is_left_alone_with_a_clear_error()
    {
        await using var newer = await InProcessDaemon.StartAsync(daemon, "999.0.0");

        var start = await CliRun.RunAsync(daemon.Environment, "sync", "daemon", "start");

        Assert.Equal(ExitCodes.DaemonUnavailable, start.ExitCode);
        Assert.Contains("newer than this thopter", start.Error, StringComparison.Ordinal);
        Assert.False(newer.Run.IsCompleted);
    }

    [Fact]
    public async Task A_second_daemon_refuses_to_run_and_stop_then_status_says_not_running()
    {
        var start = await CliRun.RunAsync(daemon.Environment, "sync", "daemon", "start");
        Assert.True(start.ExitCode == 0, start.ToString());

        var second = await CliRun.RunAsync(daemon.Environment, "sync", "daemon", "run");
        var stop = await CliRun.RunAsync(daemon.Environment, "sync", "daemon", "stop");
        var status = await CliRun.RunAsync(daemon.Environment, "sync", "daemon", "status");

        Assert.Equal(ExitCodes.DaemonRunning, second.ExitCode);
        Assert.Contains("already running", second.Error, StringComparison.Ordinal);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.False(daemon.Alive());
        Assert.Equal(ExitCodes.DaemonUnavailable, status.ExitCode);
        Assert.Contains("not running", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_is_a_deprecated_alias_that_makes_sure_the_daemon_runs()
    {
        var watch = await CliRun.RunAsync(daemon.Environment, "sync", "watch");

        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Contains("deprecated", watch.Error, StringComparison.Ordinal);
        Assert.True(daemon.Alive());
    }

    /// <summary>The daemon's host in this process, with a version of the test's choosing.</summary>
    private sealed class InProcessDaemon : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();

        private InProcessDaemon(DaemonHome home, string version)
        {
            var ready = new TaskCompletionSource();
            Ready = ready.Task;
            var settings = new DaemonSettings(home.Home.Path, new ThopterConfigFile(ThopterConfigFile.DefaultPath(home.Home.Path)), home.Paths) { Version = version };
            Run = DaemonHost.RunAsync(settings, Serilog.Core.Logger.None, TimeProvider.System, ready.SetResult, stop.Token);
        }

        public Task Run { get; }

        private Task Ready { get; }

        public static async Task<InProcessDaemon> StartAsync(DaemonHome home, string version)
        {
            var daemon = new InProcessDaemon(home, version);
            await Task.WhenAny(daemon.Ready, daemon.Run).WaitAsync(TimeSpan.FromSeconds(30));
            await (daemon.Run.IsCompleted ? daemon.Run : Task.CompletedTask);
            return daemon;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await Run.WaitAsync(TimeSpan.FromSeconds(30));
            stop.Dispose();
        }
    }
}
