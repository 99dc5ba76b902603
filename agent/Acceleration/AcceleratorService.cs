using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Thopter.Shared.Acceleration;

namespace Thopter.Agent.Acceleration;

/// <summary>Timings of <see cref="AcceleratorService"/>; the defaults suit production, tests shorten them.</summary>
public sealed record AcceleratorServiceOptions
{
    /// <summary>How often config.xml's timestamp is checked for a change (a reload costs nothing until it changes).</summary>
    public TimeSpan ConfigPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the REST API is pinged while SyncThing is not answering yet.</summary>
    public TimeSpan ApiPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Pause before a folder's accelerator is started again after it failed (e.g. the folder does not exist yet).</summary>
    public TimeSpan FolderRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The folder watcher; the real inotify one unless a test needs another.</summary>
    public Func<IChangeSource> CreateChangeSource { get; init; } = ChangeSources.ForThisPlatform;
}

/// <summary>
/// Runs an <see cref="Accelerator"/> for every folder config.xml shares with a peer, beside SyncThing: waits for the REST
/// API, then accelerates until stopped. When config.xml changes in a way that matters (address, key, folders) every
/// accelerator is restarted with the new targets; when SyncThing restarts the accelerators simply retry their scans.
/// A broken or missing config is waited out, never fatal: setup may be rewriting it. Under systemd it reports what it is
/// doing as the unit's status text (<paramref name="notifier"/> exists only there).
/// </summary>
public sealed class AcceleratorService(
    AcceleratorConfigSource config,
    Func<AcceleratorTargets, IAcceleratorApi> connect,
    AcceleratorServiceOptions options,
    TimeProvider time,
    ILogger<AcceleratorService> logger,
    ISystemdNotifier? notifier = null) : BackgroundService
{
    private readonly TaskCompletionSource firstWatching = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised each time every folder of a (re)loaded configuration is watched: from then on changes are seen.</summary>
    public event Action<AcceleratorTargets>? Watching;

    /// <summary>Completes the first time <see cref="Watching"/> is raised: the accelerator works (see <see cref="AcceleratorReadiness"/>).</summary>
    public Task FirstWatching => firstWatching.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? lastProblem = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var stamp = config.Stamp();
            var (targets, problem) = config.Read();
            if (targets is null)
            {
                if (problem != lastProblem)
                {
                    logger.LogWarning("not accelerating: {Problem}; waiting for config.xml to change", problem);
                    Status($"not accelerating: {problem}");
                    lastProblem = problem;
                }

                await WaitForConfigChangeAsync(stamp, null, stoppingToken).ConfigureAwait(false);
                continue;
            }

            lastProblem = null;
            await RunGenerationAsync(targets, stamp, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunGenerationAsync(AcceleratorTargets targets, (DateTime, long) stamp, CancellationToken stoppingToken)
    {
        using var generation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var api = connect(targets);
        var accelerating = AccelerateAsync(targets, api, generation.Token);
        var reloaded = WaitForConfigChangeAsync(stamp, targets, generation.Token);
        await Task.WhenAny(accelerating, reloaded).ConfigureAwait(false);
        if (reloaded.IsCompletedSuccessfully)
        {
            logger.LogInformation("config.xml changed: reloading the accelerator");
        }

        await generation.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(accelerating, reloaded).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AccelerateAsync(AcceleratorTargets targets, IAcceleratorApi api, CancellationToken ct)
    {
        await WaitForApiAsync(targets, api, ct).ConfigureAwait(false);
        var watching = new List<Task>();
        var folders = targets.Folders.Select(folder =>
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            watching.Add(started.Task);
            return RunFolderAsync(folder, api, started, ct);
        }).ToList();
        await Task.WhenAll(watching).WaitAsync(ct).ConfigureAwait(false);
        logger.LogInformation("accelerating {Targets}", targets);
        Status($"accelerating {targets.Folders.Count} folder(s)");
        Watching?.Invoke(targets);
        firstWatching.TrySetResult();
        await Task.WhenAll(folders).ConfigureAwait(false);
    }

    private async Task WaitForApiAsync(AcceleratorTargets targets, IAcceleratorApi api, CancellationToken ct)
    {
        var logged = false;
        while (true)
        {
            try
            {
                await api.PingAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (Exception error) when (!ct.IsCancellationRequested)
            {
                if (!logged)
                {
                    logger.LogInformation("waiting for SyncThing's REST API on {Address}: {Reason}", targets.GuiAddress, error.Message);
                    Status($"waiting for SyncThing's REST API on {targets.GuiAddress}");
                    logged = true;
                }
            }

            await Task.Delay(options.ApiPollInterval, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One folder's accelerator, started again after a failure; <paramref name="watching"/> completes at its first start.</summary>
    private async Task RunFolderAsync(AcceleratedFolder folder, IAcceleratorApi api, TaskCompletionSource watching, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var accelerator = new Accelerator(time, options.CreateChangeSource);
            var run = accelerator.RunAsync(new AcceleratorOptions { FolderId = folder.Id, FolderPath = folder.Path, DropConflictCopyDownloads = true }, api, logger, ct);
            try
            {
                await Task.WhenAny(accelerator.Watching, run).ConfigureAwait(false);
                watching.TrySetResult();
                await run.ConfigureAwait(false);
            }
            catch (Exception error) when (!ct.IsCancellationRequested)
            {
                logger.LogError("folder {Folder} at {Path} cannot be accelerated: {Reason}; retrying in {Delay} s",
                    folder.Id, folder.Path, error.Message, options.FolderRetryDelay.TotalSeconds);
                try
                {
                    await Task.Delay(options.FolderRetryDelay, time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Completes when config.xml changed so that it names other targets than <paramref name="current"/>.</summary>
    private async Task WaitForConfigChangeAsync((DateTime, long) stamp, AcceleratorTargets? current, CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(options.ConfigPollInterval, time, ct).ConfigureAwait(false);
            var now = config.Stamp();
            if (now == stamp)
            {
                continue;
            }

            stamp = now;
            if (current is null || config.Read().Targets != current)
            {
                return;
            }
        }
    }

    private void Status(string text) => notifier?.Notify(new ServiceState($"STATUS={text}"));
}
