using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Thopter.Shared.Acceleration;

/// <summary>
/// One run of the accelerator: filters reported changes, keeps the uncovered ones pending, and turns each
/// burst into one scan request, retrying with backoff until SyncThing takes it.
/// </summary>
internal sealed class AccelerationSession : IChangeSink
{
    private readonly AcceleratorOptions _options;
    private readonly AcceleratorCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly string _root;
    private readonly PendingPaths _pending = new();
    private readonly SemaphoreSlim _retryNow = new(0, 1);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile IgnoreMatcher _ignores;
    private readonly ConflictDownloads? _downloads;
    private Task? _fallback;
    private Task? _leftDownloads;
    private int _fallbackStarted;

    public AccelerationSession(AcceleratorOptions options, AcceleratorCounters counters, ILogger logger, TimeProvider time, CancellationToken stopping)
    {
        _options = options;
        _counters = counters;
        _logger = logger;
        _time = time;
        _stopping = stopping;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.FolderPath));
        _ignores = LoadIgnores();
        _downloads = options.DropConflictCopyDownloads ? new ConflictDownloads(_root, logger, time) : null;
    }

    /// <summary>Called after the ignore patterns were reloaded, so the change source can watch accordingly.</summary>
    public Action? IgnoresReloaded { get; set; }

    public void RequestWholeFolder() => Enqueue(string.Empty);

    /// <summary>Starts deleting conflict copy downloads left from before this run (a devbox's accelerator only).</summary>
    public void SweepLeftConflictDownloads()
    {
        if (_downloads is not null)
        {
            _leftDownloads = SweepLeftAsync(_downloads);
        }
    }

    private async Task SweepLeftAsync(ConflictDownloads downloads)
    {
        try
        {
            await downloads.SweepLeftAsync(SkipsDirectory, _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            AcceleratorLog.LeftDownloadsNotSwept(_logger, _root, error.Message);
        }
    }

    public bool SkipsDirectory(string fullPath)
    {
        var relative = Relative(fullPath);
        return relative is not null && (SyncthingOwnPaths.IsInternal(relative) || _ignores.SkipsDirectory(relative));
    }

    public void PathChanged(string fullPath)
    {
        _counters.EventSeen();
        var relative = Relative(fullPath);
        if (relative is null)
        {
            _counters.EventIgnored();
            return;
        }

        if (relative.Length == 0)
        {
            Enqueue(string.Empty);
            return;
        }

        if (relative == IgnoreMatcher.FileName)
        {
            // Newly un-ignored files exist only on disk so far: only a whole-folder scan finds them.
            _ignores = LoadIgnores();
            AcceleratorLog.IgnoreFileReloaded(_logger, IgnoreMatcher.FileName, _ignores.RuleCount);
            IgnoresReloaded?.Invoke();
            Enqueue(string.Empty);
            return;
        }

        if (SyncthingOwnPaths.IsTemporary(relative) && _downloads is not null)
        {
            _downloads.Drop(fullPath, relative);
        }

        if (SyncthingOwnPaths.IsInternal(relative) || SyncthingOwnPaths.IsTemporary(relative) || _ignores.IsIgnored(relative))
        {
            _counters.EventIgnored();
            return;
        }

        Enqueue(relative);
    }

    /// <summary>Ends a failed scan's backoff now: SyncThing is known to answer again.</summary>
    public void RetryNow()
    {
        try
        {
            _retryNow.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public void Overflowed()
    {
        _counters.Overflowed();
        AcceleratorLog.Overflow(_logger);
        Enqueue(string.Empty);
    }

    public void WatchLimitReached(Exception error)
    {
        Enqueue(string.Empty);
        if (Interlocked.Exchange(ref _fallbackStarted, 1) == 1)
        {
            return;
        }

        _counters.EnterFallback(error.Message);
        AcceleratorLog.WatchLimit(_logger, _root, error.Message, _options.FallbackInterval.TotalSeconds);
        _fallback = ScanPeriodicallyAsync();
    }

    public void WatcherFailed(Exception error)
    {
        _counters.RecordError(error.Message);
        AcceleratorLog.WatcherError(_logger, error.Message);
        Enqueue(string.Empty);
    }

    /// <summary>Sends scan requests until cancelled; throws <see cref="OperationCanceledException"/> then.</summary>
    public async Task PumpAsync(IFolderScanner scanner)
    {
        try
        {
            while (true)
            {
                await _signal.Reader.ReadAsync(_stopping).ConfigureAwait(false);
                if (_options.CoalesceWindow > TimeSpan.Zero)
                {
                    await Task.Delay(_options.CoalesceWindow, _time, _stopping).ConfigureAwait(false);
                }

                await ScanPendingAsync(scanner).ConfigureAwait(false);
            }
        }
        finally
        {
            if (_fallback is not null)
            {
                await _fallback.ConfigureAwait(false);
            }

            if (_leftDownloads is not null)
            {
                await _leftDownloads.ConfigureAwait(false);
            }
        }
    }

    // Returns once a request succeeded or nothing was pending; a failed request's paths go back to pending
    // (merged with newer ones) and are retried after a growing delay: never dropped.
    private async Task ScanPendingAsync(IFolderScanner scanner)
    {
        var delay = _options.RetryInitialDelay;
        var failures = 0;
        while (true)
        {
            var taken = _pending.TakeAll();
            if (taken.Count == 0)
            {
                return;
            }

            var subPaths = ScanPathPlanner.Plan(taken, _options.MaxPathsPerScan);
            _counters.ScanRequested();
            try
            {
                await scanner.ScanAsync(_options.FolderId, subPaths, _stopping).ConfigureAwait(false);
                _counters.ScanSucceeded(subPaths.Count);
                AcceleratorLog.Scanned(_logger, subPaths.Count, _options.FolderId);
                if (failures > 0)
                {
                    AcceleratorLog.ScanRecovered(_logger, _options.FolderId, failures);
                }

                return;
            }
            catch (Exception error) when (!_stopping.IsCancellationRequested)
            {
                _pending.AddRange(subPaths.Count == 0 ? [string.Empty] : subPaths);
                _counters.Failed(error.Message);
                if (failures++ == 0)
                {
                    AcceleratorLog.ScanFailedFirst(_logger, _options.FolderId, error.Message, Math.Max(subPaths.Count, 1));
                }
                else
                {
                    AcceleratorLog.ScanFailedAgain(_logger, _options.FolderId, error.Message, delay.TotalMilliseconds);
                }
            }

            await BackOffAsync(delay).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMaxDelay.Ticks));
        }
    }

    /// <summary>Waits <paramref name="delay"/>, or less when <see cref="RetryNow"/> is called meanwhile.</summary>
    private async Task BackOffAsync(TimeSpan delay)
    {
        using var backoff = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        await Task.WhenAny(Task.Delay(delay, _time, backoff.Token), _retryNow.WaitAsync(backoff.Token)).ConfigureAwait(false);
        await backoff.CancelAsync().ConfigureAwait(false);
        _stopping.ThrowIfCancellationRequested();
    }

    private async Task ScanPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(_options.FallbackInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping).ConfigureAwait(false))
            {
                Enqueue(string.Empty);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>The path relative to the folder root with '/' separators ("" for the root), or null when outside it.</summary>
    private string? Relative(string fullPath)
    {
        var relative = Path.GetRelativePath(_root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
        if (relative == ".")
        {
            return string.Empty;
        }

        return relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? null : relative;
    }

    private void Enqueue(string relativePath)
    {
        _pending.Add(relativePath);
        _signal.Writer.TryWrite(true);
    }

    private IgnoreMatcher LoadIgnores()
    {
        var matcher = IgnoreMatcher.Load(_root);
        if (matcher.ParseError is not null)
        {
            AcceleratorLog.IgnoreFileUnusable(_logger, IgnoreMatcher.FileName, matcher.ParseError);
        }
        else if (matcher.HasInclude)
        {
            AcceleratorLog.IgnoreFileHasInclude(_logger, IgnoreMatcher.FileName);
        }

        return matcher;
    }
}
