using Microsoft.Extensions.Logging;
using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.Daemon.State;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// Keeps <see cref="LaptopState"/> current: one full REST read, then SyncThing's event stream (long-polled
/// /rest/events). When SyncThing goes away it says so and starts over once SyncThing answers again.
/// </summary>
public sealed class SyncthingFollower(LaptopState state, ILoggerFactory logs, TimeProvider time, TimeSpan retryDelay)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private readonly ILogger log = logs.CreateLogger("syncthing");

    public async Task RunAsync(SyncthingRestClient client, string folderId, string folderPath, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(client, folderId, folderPath, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SyncthingApiException error)
            {
                log.LogInformation("SyncThing at {Address}: {Error}", client.BaseAddress, error.Message);
                state.SyncthingReachable(false, error.Message);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                log.LogWarning(error, "following SyncThing's events failed");
                state.Error(null, error.Message);
            }

            try
            {
                await Task.Delay(retryDelay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task FollowAsync(SyncthingRestClient client, string folderId, string folderPath, CancellationToken cancellationToken)
    {
        // Subscribe first, then read the current state: nothing that happens in between is lost.
        var history = await client.GetEventsAsync(0, SyncthingEventApplier.Types, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        var since = history.Count == 0 ? 0 : history.Max(e => e.Id);
        await RefreshAsync(client, folderId, folderPath, cancellationToken).ConfigureAwait(false);
        RecountConflicts(folderPath, null);
        state.SyncthingReachable(true, null);
        log.LogInformation("following SyncThing at {Address} from event {Since}", client.BaseAddress, since);
        while (true)
        {
            var batch = await client.GetEventsAsync(since, SyncthingEventApplier.Types, Poll, cancellationToken).ConfigureAwait(false);
            var refresh = false;
            string? conflict = null;
            foreach (var item in batch.OrderBy(e => e.Id))
            {
                since = Math.Max(since, item.Id);
                switch (SyncthingEventApplier.Apply(item, state, folderId))
                {
                    case SyncthingEventApplier.FollowUp.Refresh:
                        refresh = true;
                        break;
                    case SyncthingEventApplier.FollowUp.RecountConflicts:
                        conflict = item.Type;
                        break;
                }
            }

            if (refresh)
            {
                await RefreshAsync(client, folderId, folderPath, cancellationToken).ConfigureAwait(false);
            }

            if (conflict is not null)
            {
                RecountConflicts(folderPath, "a conflict copy appeared in the synced folder");
            }
        }
    }

    private async Task RefreshAsync(SyncthingRestClient client, string folderId, string folderPath, CancellationToken cancellationToken)
    {
        var connections = await client.GetConnectionsAsync(cancellationToken).ConfigureAwait(false);
        var stats = await client.GetDeviceStatsAsync(cancellationToken).ConfigureAwait(false);
        var known = (await client.GetDevicesAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.DeviceId).ToHashSet(StringComparer.Ordinal);
        var shared = (await client.GetFoldersAsync(cancellationToken).ConfigureAwait(false))
            .SelectMany(f => (f.Devices ?? []).Select(d => (f.Id, d.DeviceId)))
            .ToHashSet();
        var completions = new Dictionary<(string Folder, string Device), FolderCompletion>();
        var pairs = state.DeviceIds().Select(d => (folderId, d)).Concat(state.FolderPairs())
            .Distinct()
            .Where(p => known.Contains(p.Item2) && (p.Item1 == folderId || shared.Contains(p)));
        foreach (var (folder, deviceId) in pairs)
        {
            try
            {
                completions[(folder, deviceId)] = await client.GetCompletionAsync(folder, deviceId, cancellationToken).ConfigureAwait(false);
            }
            catch (SyncthingApiException error) when (error.Kind is SyncthingApiErrorKind.NotFound or SyncthingApiErrorKind.Server)
            {
                // The folder is not shared with this device (unpaired by hand in the GUI): no completion to show.
            }
        }

        state.Refresh(connections, stats, known, completions, shared);
        state.Folder(await FolderHealth.ReadAsync(client, folderId, folderPath, cancellationToken).ConfigureAwait(false));
    }

    private void RecountConflicts(string folderPath, string? why)
    {
        var counts = ConflictScanner.Scan(folderPath)
            .GroupBy(c => c.Name.ShortDeviceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        state.Conflicts(counts, why);
    }
}
