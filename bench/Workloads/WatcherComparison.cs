using System.Diagnostics;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Acceleration.Inotify;

namespace Thopter.Bench.Workloads;

/// <summary>
/// Before and after issue 17 on the real kernel and the same tree: FileSystemWatcher (what the accelerator used) and
/// our inotify binding, each started alone in this process. Watches are counted in /proc/self/fdinfo; then 5,000
/// files are created and deleted in node_modules and the change reports each source raised are counted.
/// </summary>
public static class WatcherComparison
{
    private const int ChurnFiles = 5000;

    public static IEnumerable<(string Name, string Value)> Run(string tree)
    {
        var sources = new (string Name, Func<IChangeSource> Create)[]
        {
            ("before: FileSystemWatcher", static () => new FileSystemChangeSource()),
            ("after: our inotify binding", static () => new InotifyChangeSource()),
        };
        var rows = new List<(string, string)>();
        foreach (var (name, create) in sources)
        {
            var before = WatchesOfThisProcess();
            var sink = new CountingSink(tree);
            var clock = Stopwatch.StartNew();
            using (var source = create())
            {
                source.Start(tree, sink);
                var started = clock.Elapsed.TotalMilliseconds;
                var watches = WatchesOfThisProcess() - before;
                Churn(tree);
                Thread.Sleep(1000);
                rows.Add(($"P7 accelerator watches on the host copy, {name}", $"{watches:N0}"));
                rows.Add(($"P7 time to place them, {name}, ms", $"{started:0}"));
                rows.Add(($"P8 change reports raised by {ChurnFiles:N0} files created + deleted in node_modules, {name}", $"{sink.Reports:N0}"));
            }
        }

        return rows;
    }

    private static void Churn(string tree)
    {
        var directory = Path.Combine(tree, "node_modules", "churn", "lib");
        Directory.CreateDirectory(directory);
        for (var i = 0; i < ChurnFiles; i++)
        {
            File.WriteAllText(Path.Combine(directory, $"f{i}.js"), "x");
        }

        Directory.Delete(Path.Combine(tree, "node_modules", "churn"), recursive: true);
    }

    private static int WatchesOfThisProcess() =>
        Directory.EnumerateFiles("/proc/self/fdinfo")
            .Sum(file =>
            {
                try
                {
                    return File.ReadLines(file).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
                }
                catch (IOException)
                {
                    return 0;
                }
            });

    private sealed class CountingSink(string root) : IChangeSink
    {
        private readonly IgnoreMatcher ignores = IgnoreMatcher.Load(root);
        private int reports;

        public int Reports => Volatile.Read(ref reports);

        public bool SkipsDirectory(string fullPath) => ignores.SkipsDirectory(Path.GetRelativePath(root, fullPath));

        public void PathChanged(string fullPath) => Interlocked.Increment(ref reports);

        public void Overflowed() => Interlocked.Increment(ref reports);

        public void WatchLimitReached(Exception error)
        {
        }

        public void WatcherFailed(Exception error)
        {
        }
    }
}
