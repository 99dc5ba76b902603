using System.Text.Json.Nodes;
using Thopter.Laptop.Daemon.Api;

namespace Thopter.Laptop.Status;

/// <summary>`thopter sync status --json`: the daemon's answer in the shape scripts read.</summary>
public static class StatusJson
{
    public static JsonObject Of(StatusReply status) => Of(status, OpenConflicts.None);

    /// <param name="open">The conflict store's open conflicts: <c>openConflicts</c> in total and per devbox.</param>
    public static JsonObject Of(StatusReply status, OpenConflicts open) => new()
    {
        ["folder"] = status.FolderId,
        ["folderPath"] = status.FolderPath,
        ["syncthingReachable"] = status.SyncthingReachable,
        ["folderState"] = Optional(status.FolderState),
        ["folderError"] = Optional(status.FolderError),
        ["folderFix"] = Optional(status.FolderFix),
        ["laptopFolders"] = new JsonArray([.. status.LaptopFolders.Select(f => (JsonNode?)new JsonObject
        {
            ["folderId"] = f.FolderId,
            ["folderPath"] = f.FolderPath,
            ["state"] = Optional(f.State),
            ["error"] = Optional(f.Error),
            ["fix"] = Optional(f.Fix),
        })]),
        ["devboxes"] = new JsonArray([.. status.Devboxes.Select(d => (JsonNode?)Of(d, open.ByDevbox.GetValueOrDefault(d.Name)))]),
        ["sharedDeviceIds"] = new JsonArray([.. SharedGroups(status).Select(g => (JsonNode?)new JsonObject
        {
            ["deviceId"] = g.DeviceId,
            ["devboxes"] = new JsonArray([.. g.Names.Select(n => (JsonNode?)n)]),
        })]),
        ["conflicts"] = status.Conflicts,
        ["openConflicts"] = open.Total,
        ["lastError"] = Optional(status.LastError),
    };

    public static JsonObject Of(DevboxState devbox, int openConflicts) => new()
    {
        ["name"] = devbox.Name,
        ["deviceId"] = devbox.DeviceId,
        ["knownToSyncthing"] = devbox.KnownToSyncthing,
        ["connected"] = devbox.Connected,
        ["address"] = Optional(devbox.Address),
        ["connectionType"] = Optional(devbox.ConnectionType),
        ["relayed"] = devbox.Relayed,
        ["completion"] = devbox.HasCompletion ? devbox.Completion : null,
        ["needItems"] = devbox.HasCompletion ? devbox.NeedItems : null,
        ["conflicts"] = devbox.Conflicts,
        ["openConflicts"] = openConflicts,
        ["lastSeen"] = Optional(devbox.LastSeen),
        ["lastActivity"] = devbox.LastActivity > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(devbox.LastActivity).ToString("O", System.Globalization.CultureInfo.InvariantCulture) : null,
        ["lastError"] = Optional(devbox.LastError),
        ["route"] = Optional(devbox.Route),
        ["tunnelPort"] = devbox.TunnelPort > 0 ? devbox.TunnelPort : null,
        ["openTunnels"] = devbox.TunnelPort > 0 ? devbox.OpenTunnels : null,
        ["tunnelError"] = Optional(devbox.TunnelError),
        ["folders"] = new JsonArray([.. devbox.Folders.Select(f => (JsonNode?)new JsonObject
        {
            ["folderId"] = f.FolderId,
            ["name"] = f.Name,
            ["own"] = f.Own,
            ["shared"] = f.Shared,
            ["completion"] = f.HasCompletion ? f.Completion : null,
            ["needItems"] = f.HasCompletion ? f.NeedItems : null,
        })]),
    };

    /// <summary>One devbox's folders on one line, e.g. `code 100 %, notes@box1 87 % (12 items)`; an unshared one says how to share it.</summary>
    public static string FoldersLine(DevboxState devbox) => string.Join(", ", devbox.Folders.Select(f =>
        !f.Shared ? $"{f.FolderId} NOT SHARED (fix: thopter sync pair {devbox.Name})"
        : !f.HasCompletion ? $"{f.FolderId} -"
        : $"{f.FolderId} {f.Completion.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} %{(f.NeedItems > 0 ? $" ({f.NeedItems} items)" : string.Empty)}"));

    /// <summary>Devbox names that answer with one device ID (see <see cref="SharedIdentities"/>).</summary>
    public static IReadOnlyList<(string DeviceId, IReadOnlyList<string> Names)> SharedGroups(StatusReply status) =>
        SharedIdentities.Find(status.Devboxes.Select(d => KeyValuePair.Create(d.Name, d.DeviceId)));

    private static string? Optional(string text) => text.Length == 0 ? null : text;
}
