using System.Diagnostics;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Tests.Harness;
using Thopter.Tests.Shared;
using Thopter.Tests.Laptop.Daemon;
using Xunit;

namespace Thopter.Tests.Laptop.Cli;

/// <summary>
/// Signals to the real laptop CLI process while `pair` waits on its transport child (a script standing in for ssh
/// whose thopter-agent hangs), against the real laptop SyncThing: SIGTERM and a terminal's Ctrl-C (SIGINT to the whole
/// process group) both end in "interrupted", exit 130, with the transport child gone.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SignalTests : IAsyncLifetime
{
    private readonly TempDirectory home = new();
    private SyncthingProcess? syncthing;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // init (or pair) started this HOME's daemon.
        await DaemonHome.StopDaemonAsync(new CliEnvironment { Home = home.Path });
        home.Dispose();
    }

    private async Task<(Process Cli, int ChildPid)> StartHangingPairAsync(bool ownProcessGroup)
    {
        var pidFile = home.Combine("agent.pid");
        var script = home.Combine("devbox");
        // The agent runs by whatever path delivery found or put it at; anything else (delivery's probe) runs as asked.
        File.WriteAllText(script, $"#!/bin/sh\ncase \"$1\" in\n*thopter-agent) echo $$ > {pidFile}; exec sleep 120 ;;\nesac\nexec \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var pair = LaptopProcess.Command("sync", "pair", "box1", "--transport", script, "--no-wait");
        var cli = Process.Start(LaptopProcess.StartInfo(home.Path, ownProcessGroup ? ["setsid", .. pair] : pair))!;
        var clock = Stopwatch.StartNew();
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60) || cli.HasExited)
            {
                cli.Kill();
                Assert.Fail("the transport child never started: " + await cli.StandardError.ReadToEndAsync());
            }

            await Task.Delay(50);
        }

        return (cli, int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task InitAsync()
    {
        var st = SyncthingTestHome.Create(home.Combine(".local", "state", "syncthing"), "laptop");
        syncthing = await SyncthingProcess.StartAsync(st.HomeDir);
        var init = await CliRun.RunAsync(new() { Home = home.Path }, "sync", "init", "--folder", "code");
        Assert.True(init.ExitCode == 0, init.ToString());
    }

    private static async Task AssertInterruptedAsync(Process cli, int childPid)
    {
        var stderr = cli.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await cli.WaitForExitAsync(wait.Token);
        Assert.True(cli.ExitCode == ExitCodes.Cancelled, $"exit {cli.ExitCode}: {await stderr}");
        Assert.StartsWith("error: interrupted", await stderr, StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{childPid}") && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.False(Directory.Exists($"/proc/{childPid}"), $"the transport child {childPid} still runs");
    }

    [Fact]
    public async Task Sigterm_interrupts_the_command_and_ends_its_transport_child()
    {
        await InitAsync();
        await using var _ = syncthing!;
        var (cli, child) = await StartHangingPairAsync(ownProcessGroup: false);
        using (cli)
        {
            Process.Start("kill", ["-TERM", cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await AssertInterruptedAsync(cli, child);
        }
    }

    [Fact]
    public async Task Ctrl_c_to_the_process_group_is_interrupted_not_an_agent_error()
    {
        await InitAsync();
        await using var _ = syncthing!;
        var (cli, child) = await StartHangingPairAsync(ownProcessGroup: true);
        using (cli)
        {
            Process.Start("kill", ["-INT", "--", "-" + cli.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await AssertInterruptedAsync(cli, child);
        }
    }
}
