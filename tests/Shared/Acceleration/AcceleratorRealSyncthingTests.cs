using System.Diagnostics;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Config;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.Shared.Acceleration;

/// <summary>
/// Two real SyncThing 1.19.2 instances on 127.0.0.1. The writing side's own watcher is OFF and its rescan
/// interval is an hour, so a change can only reach the other side quickly if the accelerator asked for the
/// scan. Latencies are printed, not asserted (bounds here only catch "never arrived").
/// </summary>
[Trait("Category", "Integration")]
public sealed class AcceleratorRealSyncthingTests(ITestOutputHelper output) : IDisposable
{
    private const string FolderId = "src";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("thopter-accel-st-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Changes_on_one_side_arrive_on_the_other_when_only_the_accelerator_triggers_scans()
    {
        var writer = SyncthingTestHome.Create(Path.Combine(_root.FullName, "writer"), "writer");
        var reader = SyncthingTestHome.Create(Path.Combine(_root.FullName, "reader"), "reader");
        var writerFolder = Directory.CreateDirectory(Path.Combine(_root.FullName, "writer-src")).FullName;
        var readerFolder = Directory.CreateDirectory(Path.Combine(_root.FullName, "reader-src")).FullName;
        File.WriteAllText(Path.Combine(writerFolder, "existing.txt"), "before the accelerator");
        Share(writer, reader, writerFolder, watcher: false);
        Share(reader, writer, readerFolder, watcher: true);

        await using var writerSt = await SyncthingProcess.StartAsync(writer.HomeDir);
        await using var readerSt = await SyncthingProcess.StartAsync(reader.HomeDir);
        using var writerClient = new SyncthingRestClient(writer.BaseAddress, new SyncthingApiKey(writer.ApiKey));
        using var readerClient = new SyncthingRestClient(reader.BaseAddress, new SyncthingApiKey(reader.ApiKey));
        await Wait.UntilAsync(
            "the two SyncThings to connect",
            async ct => (await writerClient.GetConnectionsAsync(ct)).TryGetValue(reader.DeviceId.ToString(), out var c) && c.Connected,
            TimeSpan.FromMilliseconds(200),
            TimeSpan.FromSeconds(60),
            () => Task.FromResult(writerSt.Describe("writer") + "\n" + readerSt.Describe("reader")));
        await WaitForFileAsync(readerFolder, "existing.txt", "before the accelerator", readerSt);

        var accelerator = new Accelerator();
        using var stop = new CancellationTokenSource();
        var logger = new ListLogger();
        var options = new AcceleratorOptions { FolderPath = writerFolder, FolderId = FolderId };
        var run = accelerator.RunAsync(options, new RestFolderScanner(writerClient), logger, stop.Token);
        await accelerator.Watching.WaitAsync(Generous);
        await Wait.UntilAsync("the start-up scan", _ => Task.FromResult(accelerator.Counters.ScansSucceeded >= 1), TimeSpan.FromMilliseconds(10), Generous);

        var clock = Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(writerFolder, "hello.txt"), "hello");
        await WaitForFileAsync(readerFolder, "hello.txt", "hello", readerSt);
        output.WriteLine($"single small file arrived after {clock.ElapsedMilliseconds} ms");

        clock.Restart();
        Directory.CreateDirectory(Path.Combine(writerFolder, "new/deep"));
        File.WriteAllText(Path.Combine(writerFolder, "new/deep/file.txt"), "in a new directory");
        File.Move(Path.Combine(writerFolder, "existing.txt"), Path.Combine(writerFolder, "renamed.txt"));
        File.WriteAllText(Path.Combine(writerFolder, "hello.txt"), "hello again");
        await WaitForFileAsync(readerFolder, "new/deep/file.txt", "in a new directory", readerSt);
        await WaitForFileAsync(readerFolder, "renamed.txt", "before the accelerator", readerSt);
        await WaitForFileAsync(readerFolder, "hello.txt", "hello again", readerSt);
        await Wait.UntilAsync(
            "the rename's old name to disappear on the reader",
            _ => Task.FromResult(!File.Exists(Path.Combine(readerFolder, "existing.txt"))),
            TimeSpan.FromMilliseconds(20),
            Generous);
        output.WriteLine($"new directory + rename + rewrite arrived after {clock.ElapsedMilliseconds} ms");

        var counters = accelerator.Counters;
        output.WriteLine($"events {counters.EventsSeen}, scans {counters.ScansSucceeded}/{counters.ScansRequested}, paths {counters.PathsScanned}, failures {counters.Failures}");
        Assert.Equal(0, counters.Failures);
        Assert.True(counters.ScansSucceeded >= 3, "start-up scan, then targeted ones");

        await stop.CancelAsync();
        await run.WaitAsync(Generous);
    }

    private static async Task WaitForFileAsync(string folder, string relativePath, string content, SyncthingProcess reader)
    {
        var path = Path.Combine(folder, relativePath);
        await Wait.UntilAsync(
            $"{relativePath} with the expected content on the reader",
            _ => Task.FromResult(File.Exists(path) && File.ReadAllText(path) == content),
            TimeSpan.FromMilliseconds(5),
            Generous,
            () => Task.FromResult(reader.Describe("reader")));
    }

    private static void Share(SyncthingTestHome self, SyncthingTestHome peer, string path, bool watcher) =>
        self.EditConfig(config =>
        {
            config.UpsertDevice(peer.AsPeer());
            config.UpsertFolder(new FolderConfig(FolderId, path)
            {
                FsWatcherEnabled = watcher,
                RescanIntervalS = 3600,
                Devices = [self.DeviceId, peer.DeviceId],
            });
        });
}
