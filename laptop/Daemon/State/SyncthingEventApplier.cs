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
        /// SyncThing's configuration changed (devices added or removed), or a folder stopped or recovered: read
        /// connections, completions and the folder's state again.
        /// </summary>
        Refresh,

        /// <summary>A conflict copy appeared: count conflicts again.</summary>
        RecountConflicts,
    }

    /// <summary>
    /// Applies one event. <paramref name="folders"/>: every laptop SyncThing folder the daemon serves (each shared folder,
    /// each devbox's own one), the default folder first; events about other folders are not ours.
    /// </summary>
    public static FollowUp Apply(SyncthingEvent item, LaptopState state, IReadOnlyList<string> folders)
    {
        var device = item.DataString("device") ?? item.DataString("id");
        var folder = item.DataString("folder");
        var ours = folder is not null && folders.Contains(folder);
        // Events of the default folder read as before; another folder's name their folder.
        var prefix = ours && folder != folders[0] ? folder + ": " : string.Empty;
        switch (item.Type)
        {
            case "DeviceConnected" when device is not null:
                state.Connected(device, item.DataString("addr") ?? string.Empty, item.DataString("type") ?? string.Empty);
                return FollowUp.None;
            case "DeviceDisconnected" when device is not null:
                state.Disconnected(device, item.DataString("error"));
                return FollowUp.None;
            case "FolderCompletion" when device is not null && folder is not null:
                state.Completion(device, folder, Number(item.Data, "completion"), (long)Number(item.Data, "needItems"));
                return FollowUp.None;
            case "RemoteIndexUpdated" when device is not null && ours:
                state.FilesSynced(device, $"{prefix}{(long)Number(item.Data, "items")} items announced");
                return FollowUp.None;
            case "LocalIndexUpdated" when ours:
                return LocalIndexUpdated(item, state, prefix);
            case "FolderErrors" when ours:
                state.Error(null, prefix + FolderErrors(item.Data));
                return FollowUp.None;
            case "ConfigSaved":
                return FollowUp.Refresh;
            case "StateChanged" when ours && (item.DataString("to") == "error" || item.DataString("from") == "error"):
                return FollowUp.Refresh;
            default:
                return FollowUp.None;
        }
    }

    private static FollowUp LocalIndexUpdated(SyncthingEvent item, LaptopState state, string prefix)
    {
        var names = item.Data.TryGetProperty("filenames", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToList()
            : [];
        state.FilesSynced(null, prefix + (names.Count == 0 ? $"{(long)Number(item.Data, "items")} items indexed" : string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : string.Empty)));
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
