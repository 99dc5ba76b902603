namespace Thopter.Shared.Acceleration;

/// <summary>Live counters for status output and benchmarks; safe to read from any thread while running.</summary>
public sealed class AcceleratorCounters
{
    private long _eventsSeen;
    private long _eventsIgnored;
    private long _scansRequested;
    private long _scansSucceeded;
    private long _pathsScanned;
    private long _fullFolderScans;
    private long _failures;
    private long _overflows;
    private volatile string? _lastError;
    private volatile bool _fallbackActive;

    /// <summary>File-system events received (before filtering).</summary>
    public long EventsSeen => Interlocked.Read(ref _eventsSeen);

    /// <summary>Events dropped because SyncThing ignores the path (.stignore, temp files, .stfolder...).</summary>
    public long EventsIgnored => Interlocked.Read(ref _eventsIgnored);

    /// <summary>Scan requests sent to SyncThing, successful or not.</summary>
    public long ScansRequested => Interlocked.Read(ref _scansRequested);

    public long ScansSucceeded => Interlocked.Read(ref _scansSucceeded);

    /// <summary>Sub paths in successful requests (a full-folder scan counts one).</summary>
    public long PathsScanned => Interlocked.Read(ref _pathsScanned);

    public long FullFolderScans => Interlocked.Read(ref _fullFolderScans);

    /// <summary>Failed scan requests (SyncThing busy, restarting or unreachable); their paths stayed pending.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Times the kernel's event queue overflowed (each answered by a full-folder scan).</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    public string? LastError => _lastError;

    /// <summary>True once the inotify watch limit forced periodic full-folder scans.</summary>
    public bool FallbackActive => _fallbackActive;

    internal void EventSeen() => Interlocked.Increment(ref _eventsSeen);

    internal void EventIgnored() => Interlocked.Increment(ref _eventsIgnored);

    internal void ScanRequested() => Interlocked.Increment(ref _scansRequested);

    internal void ScanSucceeded(int paths)
    {
        Interlocked.Increment(ref _scansSucceeded);
        Interlocked.Add(ref _pathsScanned, Math.Max(paths, 1));
        if (paths == 0)
        {
            Interlocked.Increment(ref _fullFolderScans);
        }
    }

    internal void Failed(string error)
    {
        Interlocked.Increment(ref _failures);
        _lastError = error;
    }

    internal void RecordError(string error) => _lastError = error;

    internal void Overflowed() => Interlocked.Increment(ref _overflows);

    internal void EnterFallback(string error)
    {
        _fallbackActive = true;
        _lastError = error;
    }
}
