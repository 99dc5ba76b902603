using System.Diagnostics;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Timing;

namespace Thopter.Tests.Shared.Acceleration;

/// <summary>
/// A running accelerator on a fresh temp folder (the real file system and the real inotify watcher unless a
/// change source is given) with a recording scanner. Records when each test change was made.
/// </summary>
internal sealed class AcceleratorHarness : IAsyncDisposable
{
    public const string FolderId = "accel-test";

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _changes = new(StringComparer.Ordinal);
    private Task _run = Task.CompletedTask;

    private AcceleratorHarness(string folder, Accelerator accelerator)
    {
        Folder = folder;
        Accelerator = accelerator;
    }

    public string Folder { get; }

    public Accelerator Accelerator { get; }

    public RecordingFolderScanner Scanner { get; } = new(FolderId);

    public ListLogger Logger { get; } = new();

    public IReadOnlyDictionary<string, long> Changes => _changes;

    /// <summary>Creates the folder, lets <paramref name="prepare"/> fill it, then starts and waits for the watches.</summary>
    public static async Task<AcceleratorHarness> StartAsync(
        Func<AcceleratorOptions, AcceleratorOptions>? configure = null,
        Action<string>? prepare = null,
        Func<IChangeSource>? changeSource = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "thopter-accel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        prepare?.Invoke(folder);
        var accelerator = changeSource is null ? new Accelerator() : new Accelerator(TimeProvider.System, changeSource);
        var harness = new AcceleratorHarness(folder, accelerator);
        var options = new AcceleratorOptions
        {
            FolderPath = folder,
            FolderId = FolderId,
            CoalesceWindow = TimeSpan.FromMilliseconds(10),
            ScanFolderOnStart = false,
            RetryInitialDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        };
        options = configure?.Invoke(options) ?? options;
        harness._run = accelerator.RunAsync(options, harness.Scanner, harness.Logger, harness._stop.Token);
        await accelerator.Watching.WaitAsync(TimeSpan.FromSeconds(30));
        return harness;
    }

    public string Full(string relativePath) => Path.Combine(Folder, relativePath);

    /// <summary>Notes that <paramref name="relativePath"/> changed just now (call after the change is on disk).</summary>
    public void Changed(params string[] relativePaths)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var path in relativePaths)
        {
            _changes[path] = now;
        }
    }

    public void Write(string relativePath, string content = "x")
    {
        File.WriteAllText(Full(relativePath), content);
        Changed(relativePath);
    }

    public Task WaitUntilCoveredAsync(TimeSpan? timeout = null) =>
        Wait.UntilAsync(
            "every changed path to be covered by a successful scan",
            _ => Task.FromResult(Scanner.Uncovered(_changes).Count == 0),
            TimeSpan.FromMilliseconds(20),
            timeout ?? TimeSpan.FromSeconds(30),
            () => Task.FromResult(Describe()));

    public string Describe()
    {
        var uncovered = Scanner.Uncovered(_changes);
        var counters = Accelerator.Counters;
        return $"uncovered ({uncovered.Count}): {string.Join(", ", uncovered.Take(10))}\n"
            + $"scans: {string.Join(" | ", Scanner.Succeeded.Take(10).Select(s => s.SubPaths.Count == 0 ? "<folder>" : string.Join(",", s.SubPaths.Take(20))))}\n"
            + $"counters: events {counters.EventsSeen}, ignored {counters.EventsIgnored}, requested {counters.ScansRequested}, failures {counters.Failures}, overflows {counters.Overflows}, last error {counters.LastError}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
