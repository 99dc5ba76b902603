using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Xunit;
using Thopter.Agent.Acceleration;
using Thopter.Shared.Config;
using Thopter.Shared.Timing;

namespace Thopter.Tests.Agent.Acceleration;

/// <summary>
/// The hosted service with the real inotify watcher on a temp folder and a fake REST API (SyncThing's scan
/// endpoint is what the real-SyncThing tests in Shared/Acceleration and the devbox tests exercise).
/// </summary>
public sealed class AcceleratorServiceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("thopter-accel-svc-").FullName;
    private readonly FakeApi api = new();
    private readonly ConcurrentQueue<AcceleratorTargets> connected = new();

    private string Folder(string name)
    {
        var path = Path.Combine(home, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private void WriteConfig(string apiKey, params string[] folders)
    {
        var config = AcceleratorTargetsTests.Config(apiKey: apiKey);
        foreach (var folder in folders)
        {
            config.UpsertFolder(new FolderConfig(folder, Folder(folder))
            {
                Devices = [AcceleratorTargetsTests.SelfId, AcceleratorTargetsTests.LaptopId],
            });
        }

        config.Save(Path.Combine(home, "config.xml"));
        // Make the change visible to the timestamp check even within one clock tick.
        File.SetLastWriteTimeUtc(Path.Combine(home, "config.xml"), DateTime.UtcNow.AddSeconds(connected.Count + 1));
    }

    private AcceleratorService CreateService() => new(
        new AcceleratorConfigSource(home, home),
        targets =>
        {
            connected.Enqueue(targets);
            return api;
        },
        new AcceleratorServiceOptions { ConfigPollInterval = TimeSpan.FromMilliseconds(50), ApiPollInterval = TimeSpan.FromMilliseconds(20) },
        TimeProvider.System,
        new XunitLogger(output));

    [Fact]
    public async Task Waits_for_the_api_then_scans_a_written_file_and_stops_cleanly()
    {
        WriteConfig("key1key1key1key1", "code");
        api.Answering = false;
        using var service = CreateService();
        var watching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Watching += _ => watching.TrySetResult();

        await service.StartAsync(CancellationToken.None);
        await Wait.UntilAsync("a few pings while SyncThing does not answer", _ => Task.FromResult(api.Pings >= 3),
            TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        Assert.False(watching.Task.IsCompleted);
        api.Answering = true;
        await watching.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await api.WaitForInitialScanAndForgetAsync("code");
        await File.WriteAllTextAsync(Path.Combine(home, "code", "hello.txt"), "hi");
        await Wait.UntilAsync("a scan of hello.txt", _ => Task.FromResult(api.Scanned("code", "hello.txt")), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));

        await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(service.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task A_changed_config_restarts_with_the_new_folders_and_key()
    {
        WriteConfig("key1key1key1key1", "code");
        using var service = CreateService();
        var watching = new BlockingCollection<AcceleratorTargets>();
        service.Watching += watching.Add;
        await service.StartAsync(CancellationToken.None);
        Assert.True(watching.TryTake(out var first, TimeSpan.FromSeconds(10)));
        Assert.Equal(["code"], first!.Folders.Select(f => f.Id));

        WriteConfig("key2key2key2key2", "code", "notes");
        Assert.True(watching.TryTake(out var second, TimeSpan.FromSeconds(10)));
        Assert.Equal(["code", "notes"], second!.Folders.Select(f => f.Id));
        Assert.Equal("key2key2key2key2", connected.Last().ApiKey);

        await api.WaitForInitialScanAndForgetAsync("notes");
        await File.WriteAllTextAsync(Path.Combine(home, "notes", "n.txt"), "n");
        await Wait.UntilAsync("a scan of n.txt", _ => Task.FromResult(api.Scanned("notes", "n.txt")), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_missing_config_is_waited_out()
    {
        using var service = CreateService();
        var watching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Watching += _ => watching.TrySetResult();
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(150);
        Assert.Empty(connected);

        WriteConfig("key1key1key1key1", "code");
        await watching.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => Directory.Delete(home, recursive: true);

    private sealed class XunitLogger(ITestOutputHelper output) : ILogger<AcceleratorService>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{logLevel}: {formatter(state, exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test already ended; a late line from a stopping accelerator has nowhere to go.
            }
        }
    }

    private sealed class FakeApi : IAcceleratorApi
    {
        private readonly ConcurrentQueue<(string Folder, string[] Paths)> _scans = new();
        private int _pings;

        public volatile bool Answering = true;

        public int Pings => Volatile.Read(ref _pings);

        /// <summary>Whether a scan since the last <see cref="WaitForInitialScanAndForgetAsync"/> covered the path (a whole-folder scan covers all).</summary>
        public bool Scanned(string folder, string path) => _scans.Any(s => s.Folder == folder && (s.Paths.Length == 0 || s.Paths.Contains(path)));

        /// <summary>
        /// The accelerator scans the whole folder once it watches; a test change made before that scan was requested would be
        /// covered by it and prove nothing, so tests change files only after it and count only later scans.
        /// </summary>
        public async Task WaitForInitialScanAndForgetAsync(string folder)
        {
            await Wait.UntilAsync($"the initial scan of {folder}", _ => Task.FromResult(_scans.Any(s => s.Folder == folder && s.Paths.Length == 0)),
                TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
            _scans.Clear();
        }

        public Task PingAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref _pings);
            return Answering ? Task.CompletedTask : Task.FromException(new HttpRequestException("connection refused"));
        }

        public Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, CancellationToken ct)
        {
            _scans.Enqueue((folderId, subPaths.ToArray()));
            return Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }
}
