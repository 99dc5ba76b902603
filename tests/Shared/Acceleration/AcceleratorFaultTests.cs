using Thopter.Shared.Acceleration;
using Thopter.Shared.Timing;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration;

/// <summary>
/// Kernel conditions this machine cannot produce on demand without changing machine-wide limits other
/// processes depend on (inotify queue overflow, exhausted max_user_watches), fed through a fake change source.
/// </summary>
public sealed class AcceleratorFaultTests
{
    [Fact]
    public async Task A_queue_overflow_leads_to_a_whole_folder_scan()
    {
        var source = new ScriptedChangeSource();
        await using var run = await AcceleratorHarness.StartAsync(changeSource: () => source);
        source.Sink.PathChanged(run.Full("a.txt"));
        source.Sink.Overflowed();

        await Wait.UntilAsync("a whole-folder scan", _ => Task.FromResult(run.Scanner.Succeeded.Any(subs => subs.Count == 0)), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        Assert.Equal(1, run.Accelerator.Counters.Overflows);
        Assert.Equal(1, run.Accelerator.Counters.FullFolderScans);
    }

    [Fact]
    public async Task An_exhausted_watch_limit_is_explained_and_replaced_by_periodic_full_scans()
    {
        var source = new ScriptedChangeSource();
        await using var run = await AcceleratorHarness.StartAsync(
            options => options with { FallbackInterval = TimeSpan.FromMilliseconds(700) },
            changeSource: () => source);
        source.Sink.WatchLimitReached(new IOException(
            "The configured user limit (8192) on the number of inotify watches was reached, or the operating system failed to allocate a required resource.", 28));

        await Wait.UntilAsync("three whole-folder scans", _ => Task.FromResult(run.Accelerator.Counters.FullFolderScans >= 3), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(10));
        Assert.True(run.Accelerator.Counters.FallbackActive);
        var error = Assert.Single(run.Logger.Entries, entry => entry.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Contains("sysctl fs.inotify.max_user_watches=524288", error.Message, StringComparison.Ordinal);
        Assert.Contains("/etc/sysctl.d/", error.Message, StringComparison.Ordinal);

        // Events from the part that is watched are still accelerated (sent right after a periodic scan so
        // the next one, 700 ms away, cannot absorb them).
        source.Sink.PathChanged(run.Full("watched.txt"));
        await Wait.UntilAsync("a targeted scan", _ => Task.FromResult(run.Scanner.AllSubPaths().Contains("watched.txt")), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_watcher_that_cannot_start_for_lack_of_inotify_instances_falls_back_too()
    {
        var source = new ScriptedChangeSource
        {
            StartError = new IOException("The configured user limit (128) on the number of inotify instances has been reached, or the per-process limit on the number of open file descriptors has been reached.", 24),
        };
        await using var run = await AcceleratorHarness.StartAsync(
            options => options with { FallbackInterval = TimeSpan.FromMilliseconds(50) },
            changeSource: () => source);

        await Wait.UntilAsync("two whole-folder scans", _ => Task.FromResult(run.Accelerator.Counters.FullFolderScans >= 2), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        Assert.True(run.Accelerator.Counters.FallbackActive);
    }

    [Theory]
    [InlineData(28, "The configured user limit (8192) on the number of inotify watches was reached.", true)]
    [InlineData(2, "Could not find a part of the path.", false)]
    public void Watch_limit_errors_are_told_apart_from_other_io_errors(int errno, string message, bool isLimit)
    {
        Assert.Equal(isLimit, FileSystemChangeSource.IsWatchLimit(new IOException(message, errno)));
        Assert.False(FileSystemChangeSource.IsWatchLimit(new InternalBufferOverflowException("inotify overflow")));
    }

    private sealed class ScriptedChangeSource : IChangeSource
    {
        public IOException? StartError { get; init; }

        public IChangeSink Sink { get; private set; } = null!;

        public void Start(string folderPath, IChangeSink sink)
        {
            Sink = sink;
            if (StartError is not null)
            {
                throw StartError;
            }
        }

        public void Refresh()
        {
        }

        public void Dispose()
        {
        }
    }
}
