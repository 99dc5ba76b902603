using System.Collections.Concurrent;
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
    /// <summary>
    /// How many REST reads a refresh has in flight at once: 20 devboxes with several folders each are read in a few
    /// round trips instead of one after the other, without flooding the laptop's SyncThing.
    /// </summary>
    public const int ConcurrentReads = 8;

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private readonly ILogger log = logs.CreateLogger("syncthing");

    /// <summary>Follows SyncThing for <paramref name="folders"/>: every laptop SyncThing folder, the default one first.</summary>
    public async Task RunAsync(SyncthingRestClient client, IReadOnlyList<(string Id, string Path)> folders, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(client, folders, cancellationToken).ConfigureAwait(false);
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

    private async Task FollowAsync(SyncthingRestClient client, IReadOnlyList<(string Id, string Path)> folders, CancellationToken cancellationToken)
    {
        // Subscribe first, then read the current state: nothing that happens in between is lost.
        var history = await client.GetEventsAsync(0, SyncthingEventApplier.Types, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        var since = history.Count == 0 ? 0 : history.Max(e => e.Id);
        var ids = folders.Select(f => f.Id).ToList();
        await RefreshAsync(client, folders, cancellationToken).ConfigureAwait(false);
        RecountConflicts(folders, null);
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
                if (item.Type is "DeviceConnected" or "DeviceDisconnected")
                {
                    // Rare, and what one asks first when `status` disagrees with SyncThing.
                    log.LogInformation("SyncThing event {Id}: {Type} {Device}", item.Id, item.Type, item.DataString("id") ?? item.DataString("device"));
                }

                switch (SyncthingEventApplier.Apply(item, state, ids))
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
                await RefreshAsync(client, folders, cancellationToken).ConfigureAwait(false);
            }

            if (conflict is not null)
            {
                RecountConflicts(folders, "a conflict copy appeared in a synced folder");
            }
        }
    }

    private async Task RefreshAsync(SyncthingRestClient client, IReadOnlyList<(string Id, string Path)> folders, CancellationToken cancellationToken)
    {
        var connections = await client.GetConnectionsAsync(cancellationToken).ConfigureAwait(false);
        var stats = await client.GetDeviceStatsAsync(cancellationToken).ConfigureAwait(false);
        var known = (await client.GetDevicesAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.DeviceId).ToHashSet(StringComparer.Ordinal);
        var configured = await client.GetFoldersAsync(cancellationToken).ConfigureAwait(false);
        var shared = configured
            .SelectMany(f => (f.Devices ?? []).Select(d => (f.Id, d.DeviceId)))
            .ToHashSet();
        var defaultId = folders.Count > 0 ? folders[0].Id : string.Empty;
        var pairs = state.DeviceIds().Select(d => (defaultId, d)).Concat(state.FolderPairs())
            .Distinct()
            .Where(p => known.Contains(p.Item2) && (p.Item1 == defaultId || shared.Contains(p)))
            .ToList();
        var completions = await ReadCompletionsAsync(client, pairs, ConcurrentReads, cancellationToken).ConfigureAwait(false);
        var health = new ConcurrentDictionary<string, FolderHealth>(StringComparer.Ordinal);
        var reads = new ParallelOptions { MaxDegreeOfParallelism = ConcurrentReads, CancellationToken = cancellationToken };
        // The default folder is always read (SyncThing without it is an error to show); an own folder a pair has not
        // registered yet has no state.
        var existing = folders.Where(f => f.Id == defaultId || configured.Any(c => c.Id == f.Id));
        await Parallel.ForEachAsync(existing, reads, async (folder, ct) =>
            health[folder.Id] = await FolderHealth.ReadAsync(client, folder.Id, folder.Path, ct).ConfigureAwait(false)).ConfigureAwait(false);

        state.Refresh(connections, stats, known, completions, shared);
        foreach (var (id, _) in folders)
        {
            if (health.TryGetValue(id, out var found))
            {
                state.Folder(id, found);
            }
        }
    }

    /// <summary>
    /// SyncThing's completion of each (folder, device) pair, <paramref name="concurrency"/> reads in flight; a pair whose
    /// folder SyncThing does not share with the device (unpaired by hand in the GUI) is left out.
    /// </summary>
    public static async Task<IReadOnlyDictionary<(string Folder, string Device), FolderCompletion>> ReadCompletionsAsync(
        SyncthingRestClient client, IReadOnlyList<(string Folder, string Device)> pairs, int concurrency, CancellationToken cancellationToken)
    {
        var completions = new ConcurrentDictionary<(string Folder, string Device), FolderCompletion>();
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (pair, ct) =>
        {
            if (await NotSharedAsync(() => client.GetCompletionAsync(pair.Folder, pair.Device, ct)).ConfigureAwait(false) is { } completion)
            {
                completions[pair] = completion;
            }
        }).ConfigureAwait(false);
        return completions;
    }

    /// <summary>The completion of a folder SyncThing does not share with that device: null, nothing to show.</summary>
    private static async Task<FolderCompletion?> NotSharedAsync(Func<Task<FolderCompletion>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (SyncthingApiException error) when (error.Kind is SyncthingApiErrorKind.NotFound or SyncthingApiErrorKind.Server)
        {
            return null;
        }
    }

    /// <summary>Conflict copies still in any laptop folder, per short device ID of the device whose change won.</summary>
    private void RecountConflicts(IReadOnlyList<(string Id, string Path)> folders, string? why)
    {
        var counts = folders.SelectMany(f => ConflictScanner.Scan(f.Path))
            .GroupBy(c => c.Name.ShortDeviceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        state.Conflicts(counts, why);
    }
}
