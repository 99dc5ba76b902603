using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Thopter.Laptop.Commands;
using Thopter.Laptop.Daemon.State;
using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Pairing;
using Thopter.Laptop.Route;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// The daemon's work, one configuration at a time: read ~/.thopter.json, find the laptop's SyncThing, then run the
/// accelerator and follow SyncThing's events until a reload (pair, unpair, init) or shutdown starts the next one.
/// A configuration that cannot start (not initialized, no config.xml) is reported in the status and tried again.
/// A new API key of the laptop's SyncThing (regenerated in its GUI, a reinstall) starts the next configuration too: the
/// key is read once per configuration, and every REST client (follower, accelerator, tunnel routes) holds it.
/// </summary>
public sealed class LaptopMonitor(DaemonSettings settings, LaptopState state, TunnelRoutes tunnels, ILoggerFactory logs, TimeProvider time) : BackgroundService
{
    /// <summary>How often the key's source (config.xml or the key file) is read again for a changed key.</summary>
    public static readonly TimeSpan KeyCheck = TimeSpan.FromSeconds(2);

    private readonly ILogger log = logs.CreateLogger("daemon");
    private readonly Lock gate = new();
    private CancellationTokenSource? generation;
    private TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts the next configuration and returns once it has read the settings.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken) =>
        await Restart().WaitAsync(TimeSpan.FromSeconds(30), time, cancellationToken).ConfigureAwait(false);

    /// <summary>Ends the current configuration; the task completes once the next one has read the settings.</summary>
    private Task Restart()
    {
        lock (gate)
        {
            loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            generation?.Cancel();
            return loaded.Task;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var current = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            lock (gate)
            {
                generation = current;
            }

            try
            {
                await RunOnceAsync(current.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (current.IsCancellationRequested)
            {
                continue;
            }
            catch (Exception error)
            {
                var reason = error is ThopterException or ThopterConfigException ? error.Message : $"{error.GetType().Name}: {error.Message}";
                log.LogWarning("cannot start on the saved settings: {Reason}", reason);
                state.NotInitialized(reason);
                Loaded();
            }

            try
            {
                await Task.Delay(settings.RetryDelay * 5, time, current.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A reload or shutdown ended the pause.
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var saved = settings.ConfigFile.Load();
        if (saved.DeviceId is null || saved.FolderName is null)
        {
            tunnels.Apply(saved, null);
            state.NotInitialized("this laptop is not set up yet: run `thopter sync init`");
            Loaded();
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken).ConfigureAwait(false);
            return;
        }

        var endpoint = SyncthingLocator.Locate(InitCommand.FromSaved(saved.Api), settings.Home);
        var folders = AcceleratedFolders.Of(saved, settings.Home);
        var (folderId, folderPath) = folders[0];
        state.Configure(endpoint.Address.ToString(), folders, saved.Devboxes.ToDictionary(d => d.Key, d => d.Value.DeviceId, StringComparer.Ordinal));
        state.SyncedFolders(saved.Devboxes.ToDictionary(
            d => d.Key,
            d => (IReadOnlyList<SyncedFolder>)[.. saved.FoldersOf(d.Value).Select(f => new SyncedFolder(FolderShare.Locate(f, d.Key, settings.Home).Id, f.Name, f.IsOwn))],
            StringComparer.Ordinal));
        log.LogInformation("serving {Folders} folders (default {FolderId} at {FolderPath}), {Devboxes} devboxes, SyncThing {Address}", folders.Count, folderId, folderPath, saved.Devboxes.Count, endpoint.Address);
        state.Reloaded(saved.Devboxes.Count);
        Loaded();

        using var client = endpoint.CreateClient(null);
        var accelerations = folders
            .Select(f => new FolderAcceleration(state, logs, time, settings.RetryDelay).RunAsync(client, f.Id, f.LaptopPath, cancellationToken))
            .ToList();
        var follower = new SyncthingFollower(state, logs, time, settings.RetryDelay).RunAsync(client, folders, cancellationToken);
        state.Routes(saved.Devboxes.ToDictionary(d => d.Key, d => DevboxRoute.Of(d.Value), StringComparer.Ordinal), tunnels.Apply(saved, endpoint));
        await Task.WhenAll([.. accelerations, follower, RestartOnNewKeyAsync(saved, endpoint, cancellationToken)]).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task RestartOnNewKeyAsync(SyncSection saved, SyncthingEndpoint endpoint, CancellationToken cancellationToken)
    {
        var fingerprint = endpoint.Key.Fingerprint();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(KeyCheck, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            string now;
            try
            {
                now = SyncthingLocator.Locate(InitCommand.FromSaved(saved.Api), settings.Home).Key.Fingerprint();
            }
            catch (Exception error) when (error is ThopterException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Mid-rewrite or gone: SyncThing's own state says so; the key is compared again next time.
                continue;
            }

            if (now != fingerprint)
            {
                log.LogInformation("the API key of SyncThing at {Address} changed: starting again with the new one", endpoint.Address);
                _ = Restart();
                return;
            }
        }
    }

    private void Loaded()
    {
        lock (gate)
        {
            loaded.TrySetResult();
        }
    }
}
