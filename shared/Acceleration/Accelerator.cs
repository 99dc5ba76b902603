using Microsoft.Extensions.Logging;

namespace Thopter.Shared.Acceleration;

/// <summary>
/// Runs beside SyncThing and makes it sync within milliseconds instead of fsWatcherDelayS: watches the folder
/// and, for each burst of changes, asks SyncThing to scan exactly the changed paths. SyncThing's own watcher
/// and periodic rescan stay on as the safety net; this only makes them rarely needed.
/// </summary>
public sealed class Accelerator
{
    private readonly TimeProvider _time;
    private readonly Func<IChangeSource> _createChangeSource;
    private readonly TaskCompletionSource _watching = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private AccelerationSession? _session;

    public Accelerator()
        : this(TimeProvider.System, ChangeSources.ForThisPlatform)
    {
    }

    /// <param name="time">Clock for the coalesce window, retry backoff and fallback period.</param>
    /// <param name="createChangeSource">The watcher; <see cref="ChangeSources.ForThisPlatform"/> in production.</param>
    public Accelerator(TimeProvider time, Func<IChangeSource> createChangeSource)
    {
        _time = time;
        _createChangeSource = createChangeSource;
    }

    public AcceleratorCounters Counters { get; } = new();

    /// <summary>Completes once the watches are in place (or the periodic fallback took over): changes from then on are seen.</summary>
    public Task Watching => _watching.Task;

    /// <summary>
    /// SyncThing answers again (it restarted): a scan that failed while it was away is retried now instead of after
    /// its backoff, which may have grown to <see cref="AcceleratorOptions.RetryMaxDelay"/>.
    /// </summary>
    public void RetryNow() => _session?.RetryNow();

    /// <summary>Accelerates one folder until <paramref name="ct"/> is cancelled, then returns normally.</summary>
    /// <exception cref="ArgumentException">Invalid options (the message names the option and the problem).</exception>
    /// <exception cref="InvalidOperationException">This instance already ran; use one per folder and run.</exception>
    public async Task RunAsync(AcceleratorOptions options, IFolderScanner scanner, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("this accelerator already ran; create a new one");
        }

        var session = new AccelerationSession(options, Counters, logger, _time, ct);
        _session = session;
        using var source = _createChangeSource();
        session.IgnoresReloaded = source.Refresh;
        try
        {
            source.Start(options.FolderPath, session);
        }
        catch (IOException error) when (FileSystemChangeSource.IsWatchLimit(error))
        {
            session.WatchLimitReached(error);
        }
        catch (Exception error)
        {
            _watching.TrySetException(error);
            throw;
        }

        AcceleratorLog.Started(logger, options.FolderId, options.FolderPath, options.CoalesceWindow.TotalMilliseconds);
        if (options.ScanFolderOnStart)
        {
            session.RequestWholeFolder();
        }

        session.SweepLeftConflictDownloads();
        _watching.TrySetResult();
        try
        {
            await session.PumpAsync(scanner).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
