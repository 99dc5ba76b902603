using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thopter.Shared.Rest;

/// <summary>GET /rest/db/completion?folder=&amp;device=.</summary>
public sealed class FolderCompletion
{
    /// <summary>Percent, 0..100.</summary>
    public double Completion { get; init; }

    public long GlobalBytes { get; init; }

    public long NeedBytes { get; init; }

    public long GlobalItems { get; init; }

    public long NeedItems { get; init; }

    public long NeedDeletes { get; init; }

    public long Sequence { get; init; }
}

/// <summary>GET /rest/db/status?folder= (the fields we use).</summary>
public sealed class FolderStatus
{
    /// <summary>"idle", "scanning", "scan-waiting", "syncing", "sync-preparing", "sync-waiting", "cleaning", "error", ...</summary>
    public string State { get; init; } = string.Empty;

    public string? StateChanged { get; init; }

    /// <summary>The folder's error when <see cref="State"/> is "error".</summary>
    public string? Error { get; init; }

    /// <summary>Number of items that failed to sync.</summary>
    public int Errors { get; init; }

    public long GlobalBytes { get; init; }

    public long GlobalFiles { get; init; }

    public long LocalBytes { get; init; }

    public long LocalFiles { get; init; }

    public long NeedBytes { get; init; }

    public long NeedTotalItems { get; init; }

    public long InSyncBytes { get; init; }

    public long Sequence { get; init; }

    public string? WatchError { get; init; }
}

/// <summary>GET /rest/db/file?folder=&amp;file= (the fields we use): the cluster's newest version and this device's.</summary>
public sealed class DbFile
{
    public DbFileInfo? Global { get; init; }

    public DbFileInfo? Local { get; init; }
}

/// <summary>One version of a file as SyncThing's index records it.</summary>
public sealed class DbFileInfo
{
    /// <summary>The short ID (7 characters) of the device that last changed the file.</summary>
    public string? ModifiedBy { get; init; }

    public long Size { get; init; }

    public bool Deleted { get; init; }
}

/// <summary>One entry of GET /rest/events. <see cref="Data"/> depends on <see cref="Type"/>.</summary>
public sealed class SyncthingEvent
{
    /// <summary>Pass the largest id seen as <c>since</c> to get only newer events.</summary>
    public long Id { get; init; }

    [JsonPropertyName("globalID")]
    public long GlobalId { get; init; }

    public string Type { get; init; } = string.Empty;

    public string Time { get; init; } = string.Empty;

    public JsonElement Data { get; init; }

    /// <summary>A string field of <see cref="Data"/> (e.g. "folder", "to"), or null.</summary>
    public string? DataString(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
