using System.Text.Json.Nodes;
using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Status;

/// <summary>One row of `thopter sync status`: what the laptop's SyncThing knows about a paired devbox.</summary>
public sealed record DevboxStatus(
    string Name,
    string DeviceId,
    bool KnownToSyncthing,
    bool Connected,
    string? Address,
    string? ConnectionType,
    bool Relayed,
    double? Completion,
    long? NeedItems,
    int Conflicts,
    string? LastSeen)
{
    public string ShortId => DeviceId.Length >= 7 ? DeviceId[..7] : DeviceId;

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["deviceId"] = DeviceId,
        ["knownToSyncthing"] = KnownToSyncthing,
        ["connected"] = Connected,
        ["address"] = Address,
        ["connectionType"] = ConnectionType,
        ["relayed"] = Relayed,
        ["completion"] = Completion,
        ["needItems"] = NeedItems,
        ["conflicts"] = Conflicts,
        ["lastSeen"] = LastSeen,
    };

    /// <summary>Asks the laptop's SyncThing about every paired devbox (or only <paramref name="only"/>).</summary>
    public static async Task<IReadOnlyList<DevboxStatus>> CollectAsync(SyncthingSession session, string? only, CancellationToken cancellationToken)
    {
        var client = session.Client;
        var connections = await client.GetConnectionsAsync(cancellationToken).ConfigureAwait(false);
        var stats = await client.GetDeviceStatsAsync(cancellationToken).ConfigureAwait(false);
        var devices = (await client.GetDevicesAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.DeviceId).ToHashSet(StringComparer.Ordinal);
        var conflicts = ConflictScanner.Scan(session.FolderPath);
        var rows = new List<DevboxStatus>();
        foreach (var (name, entry) in session.Settings.Devboxes)
        {
            if (only is not null && name != only)
            {
                continue;
            }

            var known = devices.Contains(entry.DeviceId);
            connections.TryGetValue(entry.DeviceId, out var connection);
            FolderCompletion? completion = null;
            if (known)
            {
                try
                {
                    completion = await client.GetCompletionAsync(session.FolderId, entry.DeviceId, cancellationToken).ConfigureAwait(false);
                }
                catch (SyncthingApiException error) when (error.Kind is SyncthingApiErrorKind.NotFound or SyncthingApiErrorKind.Server)
                {
                    // The folder is not shared with this device (unpaired by hand in the GUI): no completion to show.
                }
            }

            var shortId = entry.DeviceId.Length >= 7 ? entry.DeviceId[..7] : entry.DeviceId;
            var lastSeen = stats.TryGetValue(entry.DeviceId, out var s) && s.LastSeen is { } seen && !seen.StartsWith("1970", StringComparison.Ordinal) ? seen : null;
            var connected = connection?.Connected == true;
            rows.Add(new DevboxStatus(
                name,
                entry.DeviceId,
                known,
                connected,
                connected ? connection!.Address : null,
                connected ? connection!.Type : null,
                connected && connection!.IsRelayed,
                completion?.Completion,
                completion?.NeedItems,
                conflicts.Count(c => c.Name.ShortDeviceId == shortId),
                lastSeen));
        }

        return rows;
    }
}
