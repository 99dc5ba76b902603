using System.Text.Json;
using Thopter.Shared.Conflicts;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Daemon.State;

/// <summary>Turns SyncThing's events into <see cref="LaptopState"/> changes.</summary>
public static class SyncthingEventApplier
{
    /// <summary>The event types the daemon follows (SyncThing v1 buffers only types someone asks for).</summary>
    public static readonly IReadOnlyCollection<string> Types =
    [
        "DeviceConnected", "DeviceDisconnected", "FolderCompletion", "RemoteIndexUpdated", "LocalIndexUpdated", "FolderErrors", "ConfigSaved",
        "StateChanged",
    ];

    /// <summary>What the follower must do after an event beyond updating the state.</summary>
    public enum FollowUp
    {
        None,

        /// <summary>
        /// SyncThing's configuration changed (devices added or removed), or the folder stopped or recovered: read
        /// connections, completions and the folder's state again.
        /// </summary>
        Refresh,

        /// <summary>A conflict copy appeared: count conflicts again.</summary>
        RecountConflicts,
    }

    public static FollowUp Apply(SyncthingEvent item, LaptopState state, string folderId)
    {
        var device = item.DataString("device") ?? item.DataString("id");
        switch (item.Type)
        {
            case "DeviceConnected" when device is not null:
                state.Connected(device, item.DataString("addr") ?? string.Empty, item.DataString("type") ?? string.Empty);
                return FollowUp.None;
            case "DeviceDisconnected" when device is not null:
                state.Disconnected(device, item.DataString("error"));
                return FollowUp.None;
            case "FolderCompletion" when device is not null && item.DataString("folder") == folderId:
                state.Completion(device, Number(item.Data, "completion"), (long)Number(item.Data, "needItems"));
                return FollowUp.None;
            case "RemoteIndexUpdated" when device is not null && item.DataString("folder") == folderId:
                state.FilesSynced(device, $"{(long)Number(item.Data, "items")} items announced");
                return FollowUp.None;
            case "LocalIndexUpdated" when item.DataString("folder") == folderId:
                return LocalIndexUpdated(item, state);
            case "FolderErrors" when item.DataString("folder") == folderId:
                state.Error(null, FolderErrors(item.Data));
                return FollowUp.None;
            case "ConfigSaved":
                return FollowUp.Refresh;
            case "StateChanged" when item.DataString("folder") == folderId && (item.DataString("to") == "error" || item.DataString("from") == "error"):
                return FollowUp.Refresh;
            default:
                return FollowUp.None;
        }
    }

    private static FollowUp LocalIndexUpdated(SyncthingEvent item, LaptopState state)
    {
        var names = item.Data.TryGetProperty("filenames", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToList()
            : [];
        state.FilesSynced(null, names.Count == 0 ? $"{(long)Number(item.Data, "items")} items indexed" : string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : string.Empty));
        return names.Any(n => ConflictName.TryParse(Path.GetFileName(n)) is not null) ? FollowUp.RecountConflicts : FollowUp.None;
    }

    private static string FolderErrors(JsonElement data) =>
        data.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            ? string.Join("; ", errors.EnumerateArray().Take(3).Select(e => $"{Text(e, "path")}: {Text(e, "error")}"))
            : "folder errors";

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static double Number(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;
}
