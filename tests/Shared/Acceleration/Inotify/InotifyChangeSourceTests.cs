using System.Collections.Concurrent;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Acceleration.Inotify;
using Thopter.Shared.Timing;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration.Inotify;

/// <summary>
/// Our inotify binding against the real kernel: the watches it holds are counted in /proc/self/fdinfo of its
/// own descriptor, so "no watch inside node_modules" is what the kernel says, not what the class believes.
/// </summary>
public sealed class InotifyChangeSourceTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _temp = new();
    private readonly RecordingSink _sink;
    private readonly InotifyChangeSource _source = new();

    public InotifyChangeSourceTests()
    {
        _sink = new RecordingSink(_temp.Path);
    }

    private string Folder => _temp.Path;

    [Fact]
    public void No_watch_is_placed_below_a_skipped_directory()
    {
        MakeDirectories("src/a", "src/b/c", "node_modules/x/y", "node_modules/z", ".git/objects/aa");
        _sink.Skip("node_modules", ".git");

        _source.Start(Folder, _sink);

        Assert.Equal(new[] { "", "src", "src/a", "src/b", "src/b/c" }, WatchedByKernel());
        Assert.Equal(5, _source.WatchCount);
    }

    [Fact]
    public async Task Churn_inside_a_skipped_directory_raises_nothing_and_a_normal_write_is_still_seen()
    {
        MakeDirectories("node_modules", "src");
        _sink.Skip("node_modules");
        _source.Start(Folder, _sink);

        for (var i = 0; i < 200; i++)
        {
            var package = Path.Combine(Folder, "node_modules", "pkg" + i);
            Directory.CreateDirectory(Path.Combine(package, "lib"));
            File.WriteAllText(Path.Combine(package, "lib", "index.js"), "x");
            Directory.Delete(package, recursive: true);
        }

        File.WriteAllText(Path.Combine(Folder, "src", "main.js"), "x");
        await _sink.WaitForAsync("src/main.js");

        // Only the creation and removal of node_modules' direct children can be seen: it is not watched itself.
        Assert.DoesNotContain(_sink.Paths, path => path.StartsWith("node_modules/", StringComparison.Ordinal) && path.Count(c => c == '/') > 1);
        Assert.Equal(new[] { "", "src" }, WatchedByKernel());
    }

    [Fact]
    public async Task A_new_directory_is_reported_itself_and_watched_from_then_on()
    {
        _source.Start(Folder, _sink);

        Directory.CreateDirectory(Path.Combine(Folder, "new", "deeper"));
        await _sink.WaitForAsync("new");
        await Wait.UntilAsync("new/deeper to be watched", _ => Task.FromResult(WatchedByKernel().Contains("new/deeper")), TimeSpan.FromMilliseconds(20), Patience);

        File.WriteAllText(Path.Combine(Folder, "new", "deeper", "file.txt"), "x");
        await _sink.WaitForAsync("new/deeper/file.txt");
    }

    [Fact]
    public async Task A_directory_moved_out_loses_its_watches_and_one_moved_in_gains_them()
    {
        MakeDirectories("inside/sub");
        var outside = Directory.CreateTempSubdirectory("thopter-outside-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(outside, "arrive", "sub"));
            _source.Start(Folder, _sink);
            Assert.Equal(new[] { "", "inside", "inside/sub" }, WatchedByKernel());

            Directory.Move(Path.Combine(Folder, "inside"), Path.Combine(outside, "gone"));
            Directory.Move(Path.Combine(outside, "arrive"), Path.Combine(Folder, "arrive"));
            await _sink.WaitForAsync("inside");
            await _sink.WaitForAsync("arrive");
            await Wait.UntilAsync(
                "the kernel's watches to follow the moves",
                _ => Task.FromResult(WatchedByKernel().SequenceEqual(new[] { "", "arrive", "arrive/sub" })),
                TimeSpan.FromMilliseconds(20),
                Patience,
                () => Task.FromResult(string.Join(", ", WatchedByKernel())));

            File.WriteAllText(Path.Combine(outside, "gone", "sub", "unseen.txt"), "x");
            File.WriteAllText(Path.Combine(Folder, "arrive", "sub", "seen.txt"), "x");
            await _sink.WaitForAsync("arrive/sub/seen.txt");
            Assert.DoesNotContain(_sink.Paths, path => path.Contains("unseen", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Refresh_follows_what_the_sink_skips_now()
    {
        MakeDirectories("build/out", "src");
        _source.Start(Folder, _sink);
        Assert.Equal(new[] { "", "build", "build/out", "src" }, WatchedByKernel());

        _sink.Skip("build");
        _source.Refresh();
        Assert.Equal(new[] { "", "src" }, WatchedByKernel());

        _sink.Skip();
        _source.Refresh();
        Assert.Equal(new[] { "", "build", "build/out", "src" }, WatchedByKernel());
    }

    [Fact]
    public async Task Deleting_the_folder_itself_is_a_watcher_failure()
    {
        var folder = Path.Combine(Folder, "watched");
        Directory.CreateDirectory(folder);
        _source.Start(folder, _sink);

        Directory.Delete(folder);

        await Wait.UntilAsync("the deletion to be reported as a failure", _ => Task.FromResult(!_sink.Failures.IsEmpty), TimeSpan.FromMilliseconds(20), Patience);
        Assert.Contains("deleted or moved away", _sink.Failures.First().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_cannot_be_started()
    {
        Assert.Throws<DirectoryNotFoundException>(() => _source.Start(Path.Combine(Folder, "missing"), _sink));
    }

    [Fact]
    public async Task After_dispose_nothing_is_reported()
    {
        _source.Start(Folder, _sink);
        Assert.NotEqual(-1, _source.Descriptor);

        _source.Dispose();
        File.WriteAllText(Path.Combine(Folder, "late.txt"), "x");
        await Task.Delay(200);

        Assert.Equal(-1, _source.Descriptor);
        Assert.Empty(_sink.Paths);
    }

    // The directories the kernel holds watches for on our descriptor, relative to the folder, sorted.
    private string[] WatchedByKernel()
    {
        var descriptor = _source.Descriptor;
        var lines = File.ReadAllLines($"/proc/self/fdinfo/{descriptor}");
        var inodes = lines
            .Where(line => line.StartsWith("inotify wd:", StringComparison.Ordinal))
            .Select(line => Convert.ToUInt64(line.Split(' ').Single(part => part.StartsWith("ino:", StringComparison.Ordinal))[4..], 16))
            .ToHashSet();
        return Inodes(Directory.EnumerateDirectories(Folder, "*", SearchOption.AllDirectories).Prepend(Folder))
            .Where(pair => inodes.Contains(pair.Inode))
            .Select(pair => Path.GetRelativePath(Folder, pair.Directory))
            .Select(relative => relative == "." ? string.Empty : relative)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    // .NET has no inode API; stat(1) answers for all directories in one run.
    private static IEnumerable<(string Directory, ulong Inode)> Inodes(IEnumerable<string> directories)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("%i %n");
        foreach (var directory in directories)
        {
            start.ArgumentList.Add(directory);
        }

        using var stat = System.Diagnostics.Process.Start(start)!;
        var lines = stat.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        stat.WaitForExit();
        return lines.Select(line => (line[(line.IndexOf(' ') + 1)..], ulong.Parse(line[..line.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }

    private void MakeDirectories(params string[] relativePaths)
    {
        foreach (var relative in relativePaths)
        {
            Directory.CreateDirectory(Path.Combine(Folder, relative));
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _temp.Dispose();
    }

    private sealed class RecordingSink(string root) : IChangeSink
    {
        private readonly ConcurrentQueue<string> _paths = new();
        private volatile string[] _skipped = [];

        public ConcurrentQueue<Exception> Failures { get; } = new();

        public IEnumerable<string> Paths => _paths.Select(path => Path.GetRelativePath(root, path));

        public void Skip(params string[] names) => _skipped = names;

        public async Task WaitForAsync(string relative) =>
            await Wait.UntilAsync($"{relative} to be reported", _ => Task.FromResult(Paths.Contains(relative)), TimeSpan.FromMilliseconds(20), Patience, () => Task.FromResult("reported: " + string.Join(", ", Paths)));

        public bool SkipsDirectory(string fullPath) => _skipped.Contains(Path.GetFileName(fullPath));

        public void PathChanged(string fullPath) => _paths.Enqueue(fullPath);

        public void Overflowed() => Failures.Enqueue(new IOException("overflow"));

        public void WatchLimitReached(Exception error) => Failures.Enqueue(error);

        public void WatcherFailed(Exception error) => Failures.Enqueue(error);
    }
}
