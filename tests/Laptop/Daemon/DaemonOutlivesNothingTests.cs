using System.Diagnostics;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>
/// A detached daemon (the real `thopter sync daemon run --detach`, started by the CLI) stops on its own once what it
/// serves is gone: its HOME (a test's or a throwaway account's temporary home), its socket, or the ~/.thopter.json it
/// read. Before this, every test that ran `init` left such a daemon running after its HOME was deleted.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DaemonOutlivesNothingTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly DaemonHome daemon = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Fact]
    public async Task It_exits_when_its_home_is_deleted()
    {
        using var process = await StartAsync();

        Directory.Delete(daemon.Home.Path, recursive: true);

        await ExitsAsync(process);
    }

    [Fact]
    public async Task It_exits_when_its_socket_directory_is_deleted()
    {
        using var process = await StartAsync();

        Directory.Delete(daemon.Paths.RunDirectory, recursive: true);

        await ExitsAsync(process);
    }

    [Fact]
    public async Task It_exits_when_the_settings_it_read_are_deleted_and_not_before()
    {
        File.WriteAllText(daemon.Home.Combine(".thopter.json"), "{}");
        using var process = await StartAsync();
        // Several of its checks pass with everything in place: it keeps running.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.False(process.HasExited, "the daemon stopped while its HOME, socket and settings were all there");

        File.Delete(daemon.Home.Combine(".thopter.json"));

        await ExitsAsync(process);
    }

    private async Task<Process> StartAsync()
    {
        var start = await CliRun.RunAsync(daemon.Environment, "sync", "daemon", "start");
        Assert.True(start.ExitCode == 0, start.ToString());
        var pid = await daemon.PidAsync() ?? throw new InvalidOperationException("the daemon answers without a pid");
        return Process.GetProcessById(pid);
    }

    private static async Task ExitsAsync(Process process)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            process.Kill();
            Assert.Fail($"the daemon (pid {process.Id}) was still running {Bound.TotalSeconds} s after what it serves was gone");
        }
    }
}
