using System.Diagnostics;
using System.Net;
using Thopter.Laptop.Cli;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness.Laptop;
using Thopter.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>
/// `thopter sync watch` in-process against a real laptop SyncThing: with SyncThing's own watcher delay raised to 10 s,
/// a file written in ~/code must be in SyncThing's index within about a second, which only the accelerator's immediate
/// scan can do; Ctrl-C (cancellation) stops it cleanly with its summary.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WatchAgainstRealSyncthingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Watch_scans_a_written_file_at_once_and_stops_on_ctrl_c()
    {
        await using var laptop = await LaptopSyncthing.StartAsync();
        var environment = new CliEnvironment { Home = home.Path };
        var init = await CliRun.RunAsync(environment, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code");
        Assert.True(init.ExitCode == 0, init.ToString());
        using var client = new SyncthingRestClient(laptop.RestAddress, new SyncthingApiKey(laptop.ApiKey));
        var folder = (await client.GetFolderAsync("code"))!;
        folder.FsWatcherDelayS = 10;
        await client.PutFolderAsync(folder);
        await Wait.UntilAsync("folder code to be idle", async ct => (await client.GetFolderStatusAsync("code", ct)).State == "idle",
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var synchronizedOut = TextWriter.Synchronized(stdout);
        using var stop = new CancellationTokenSource();
        var watch = ThopterCli.RunAsync(["sync", "watch"], environment, synchronizedOut, TextWriter.Synchronized(stderr), stop.Token);
        await Wait.UntilAsync("sync watch to say it is watching", _ => Task.FromResult(watch.IsCompleted || Said(stdout, "watching")),
            TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(20));
        if (watch.IsCompleted)
        {
            Assert.Fail($"watch ended early: exit {await watch}\n{Said(stdout)}\n{Said(stderr)}");
        }

        await File.WriteAllTextAsync(home.Combine("code", "hello.txt"), "hello");
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync("hello.txt in the laptop SyncThing's index", ct => IndexedAsync(laptop, "hello.txt", ct),
            TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(15));
        output.WriteLine($"MEASURE sync watch: write -> in SyncThing's index after {clock.Elapsed.TotalMilliseconds:0} ms (watcher delay 10 s)");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"indexed after {clock.Elapsed}; the accelerator should have scanned it at once");

        await stop.CancelAsync();
        var exit = await watch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(exit == 0, $"exit {exit}\n{Said(stdout)}\n{Said(stderr)}");
        Assert.Contains("stopped:", Said(stdout), StringComparison.Ordinal);
        Assert.DoesNotContain(laptop.ApiKey, Said(stdout) + Said(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_without_a_running_syncthing_says_how_to_start_it()
    {
        // init while SyncThing runs, then stop it: its config.xml stays and names the address nobody answers now.
        await using (var laptop = await LaptopSyncthing.StartAsync())
        {
            var init = await CliRun.RunAsync(new CliEnvironment { Home = home.Path }, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code");
            Assert.True(init.ExitCode == 0, init.ToString());
            await laptop.Process.DisposeAsync();
            var watch = await CliRun.RunAsync(new CliEnvironment { Home = home.Path }, "sync", "watch");

            Assert.Equal(Thopter.Laptop.ExitCodes.SyncthingUnreachable, watch.ExitCode);
            Assert.Contains("start SyncThing", watch.Error, StringComparison.Ordinal);
        }
    }

    // TextWriter.Synchronized locks on the wrapper, so reading the StringWriter may race a write: harmless for a
    // substring check that is polled again.
    private static string Said(StringWriter writer) => writer.ToString();

    private static bool Said(StringWriter writer, string text) => Said(writer).Contains(text, StringComparison.Ordinal);

    private static async Task<bool> IndexedAsync(LaptopSyncthing laptop, string name, CancellationToken ct)
    {
        using var response = await laptop.Client.GetAsync($"rest/db/file?folder=code&file={Uri.EscapeDataString(name)}", ct);
        return response.StatusCode == HttpStatusCode.OK;
    }
}
