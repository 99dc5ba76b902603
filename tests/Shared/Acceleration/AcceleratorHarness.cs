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
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private Task _run = Task.CompletedTask;

    private AcceleratorHarness(string folder, Accelerator accelerator)
    {
        Folder = folder;
        Accelerator = accelerator;
        Scanner = new RecordingFolderScanner(FolderId, folder);
    }

    public string Folder { get; }

    public Accelerator Accelerator { get; }

    public RecordingFolderScanner Scanner { get; }

    public ListLogger Logger { get; } = new();

    public IReadOnlyCollection<string> ChangedPaths => _changed;

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

    /// <summary>Notes paths the test changed (created, wrote, renamed from or to, deleted, chmod-ed).</summary>
    public void Changed(params string[] relativePaths) => _changed.UnionWith(relativePaths);

    public void Write(string relativePath, string content = "x")
    {
        File.WriteAllText(Full(relativePath), content);
        Changed(relativePath);
    }

    /// <summary>Waits until the scanner's index (what SyncThing would know) matches the disk at every changed path.</summary>
    public Task WaitUntilSyncedAsync(TimeSpan? timeout = null) =>
        Wait.UntilAsync(
            "the scanned index to match the disk at every changed path",
            _ => Task.FromResult(Scanner.Differences(_changed).Count == 0),
            TimeSpan.FromMilliseconds(100),
            timeout ?? TimeSpan.FromSeconds(30),
            () => Task.FromResult(Describe()));

    public string Describe()
    {
        var differences = Scanner.Differences(_changed);
        var counters = Accelerator.Counters;
        return $"differences ({differences.Count}): {string.Join(", ", differences.Take(10))}\n"
            + $"scans: {string.Join(" | ", Scanner.Succeeded.Take(10).Select(subs => subs.Count == 0 ? "<folder>" : string.Join(",", subs.Take(20))))}\n"
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
