using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thopter.Laptop.ThopterConfig;

/// <summary>
/// The <c>syncthing</c> key of ~/.thopter.json. Keys this version does not know are kept in
/// <see cref="Unknown"/> and written back unchanged, so a newer thopter's settings survive an older one.
/// Members are written in declaration order, the unknown keys last.
/// </summary>
public sealed class SyncSection
{
    /// <summary>The laptop SyncThing's device ID.</summary>
    [JsonPropertyName("deviceId")]
    public string? DeviceId { get; set; }

    /// <summary>
    /// The folder name of a file written before several folders existed: read once, then moved into <see cref="Folders"/>
    /// as its first folder (same name, so the same SyncThing folder ID) and no longer written.
    /// </summary>
    [JsonPropertyName("folderName")]
    public string? LegacyFolderName { get; set; }

    /// <summary>The adopted path of that folder (see <see cref="LegacyFolderName"/>): moved into the folder's <c>path</c>.</summary>
    [JsonPropertyName("folderPath")]
    public string? LegacyFolderPath { get; set; }

    /// <summary>The synced folders, the default (first shared) one first.</summary>
    [JsonPropertyName("folders")]
    public List<SyncFolder> Folders { get; set; } = [];

    /// <summary>Paired devboxes by name, in name order (ordinal: the file reads the same in every locale).</summary>
    [JsonPropertyName("devboxes")]
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public SortedDictionary<string, DevboxEntry> Devboxes { get; } = new(StringComparer.Ordinal);

    /// <summary>Command prefix used to reach a devbox when its entry has none (e.g. ["ssh", "{name}"]).</summary>
    [JsonPropertyName("defaultTransport")]
    public List<string>? DefaultTransport { get; set; }

    /// <summary>How to reach the laptop's SyncThing when not at the default address.</summary>
    [JsonPropertyName("api")]
    public ApiSettings? Api { get; set; }

    /// <summary>
    /// False: the daemon collects conflict copies without a desktop notification (<c>syncthing.notifyConflicts</c>);
    /// null or true: it notifies where the laptop can (notify-send, osascript).
    /// </summary>
    [JsonPropertyName("notifyConflicts")]
    public bool? NotifyConflicts { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Unknown { get; set; } = [];

    /// <summary>True when nothing would be written (the key can be left out).</summary>
    [JsonIgnore]
    public bool IsEmpty =>
        DeviceId is null && LegacyFolderName is null && LegacyFolderPath is null && Folders.Count == 0 && Devboxes.Count == 0 && DefaultTransport is null && Api is null && NotifyConflicts is null && Unknown.Count == 0;

    /// <summary>
    /// The default folder: the first shared one. What a single-folder view (conflicts, the event follower, doctor's
    /// inotify check) looks at, and the folder a devbox paired before several folders existed syncs.
    /// </summary>
    [JsonIgnore]
    public SyncFolder? Primary => Folders.FirstOrDefault(f => !f.IsOwn);

    /// <summary>The default folder's name (<see cref="Primary"/>), null before init.</summary>
    [JsonIgnore]
    public string? FolderName => Primary?.Name;

    /// <summary>The folder named <paramref name="name"/>, or null.</summary>
    public SyncFolder? Folder(string name) => Folders.FirstOrDefault(f => f.Name == name);

    /// <summary>The default folder's path on the laptop.</summary>
    public string LaptopFolderPath(string home) => Primary?.LaptopPath(home) ?? home;

    /// <summary>The folders <paramref name="entry"/> syncs: its recorded list, or every folder when it records none.</summary>
    public IReadOnlyList<SyncFolder> FoldersOf(DevboxEntry entry) =>
        entry.Folders is { } names ? [.. Folders.Where(f => names.Contains(f.Name))] : Folders;
}

/// <summary>One paired devbox.</summary>
public sealed class DevboxEntry
{
    /// <summary>The devbox SyncThing's device ID.</summary>
    [JsonPropertyName("deviceId")]
    public string DeviceId { get; set; } = string.Empty;

    /// <summary>Command prefix that runs a command on the devbox, e.g. ["ssh", "box1"] or ["docker", "exec", "-i", "c1"].</summary>
    [JsonPropertyName("transport")]
    public List<string> Transport { get; set; } = [];

    [JsonPropertyName("pairedAt")]
    [JsonConverter(typeof(UtcSecondsConverter))]
    public DateTimeOffset? PairedAt { get; set; }

    /// <summary>Extra arguments passed to <c>thopter-agent setup</c> on this devbox, reused when it is paired again.</summary>
    [JsonPropertyName("agentArgs")]
    public List<string> AgentArgs { get; set; } = [];

    /// <summary>How the laptop's SyncThing reaches it: "tunnel", "direct" or "public"; null for a devbox paired before routes existed (direct).</summary>
    [JsonPropertyName("route")]
    public string? Route { get; set; }

    /// <summary>
    /// The names of the folders this devbox syncs (a subset chosen with <c>pair --folder</c> / <c>unpair --folder</c>);
    /// null: every folder, which is what a devbox paired before several folders existed had.
    /// </summary>
    [JsonPropertyName("folders")]
    public List<string>? Folders { get; set; }

    /// <summary>The daemon's 127.0.0.1 port for this devbox's tunnel (route "tunnel" only).</summary>
    [JsonPropertyName("tunnelPort")]
    public int? TunnelPort { get; set; }

    /// <summary>The agent the tunnel runs on the devbox (the path pair delivered or found); null: thopter-agent on the transport's PATH.</summary>
    [JsonPropertyName("agentPath")]
    public string? AgentPath { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Unknown { get; set; } = [];
}

/// <summary>Where the laptop's SyncThing REST API is. The API key itself is never stored here.</summary>
public sealed class ApiSettings
{
    [JsonPropertyName("url")]
    public string? Url { get; set; }

    /// <summary>A file holding only the API key.</summary>
    [JsonPropertyName("keyFile")]
    public string? KeyFile { get; set; }

    /// <summary>SyncThing's home (the directory with config.xml) to read the key from.</summary>
    [JsonPropertyName("syncthingHome")]
    public string? SyncthingHome { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Unknown { get; set; } = [];
}

/// <summary>
/// One synced folder. Shared: SyncThing folder ID NAME, ~/NAME on the laptop (or <see cref="Path"/>) and on every devbox
/// that syncs it. Own: each devbox gets a private one, SyncThing folder ID <c>NAME@DEVBOX</c>, ~/NAME on the devbox
/// and ~/NAME/DEVBOX on the laptop, shared with that devbox only (~/NAME on the laptop is a plain directory).
/// </summary>
public sealed class SyncFolder
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>True: one private folder per devbox (written only when true).</summary>
    [JsonPropertyName("own")]
    public bool? Own { get; set; }

    /// <summary>Where a shared folder is on the laptop when not ~/NAME (a SyncThing folder adopted at its own path).</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Unknown { get; set; } = [];

    [JsonIgnore]
    public bool IsOwn => Own == true;

    /// <summary>A shared folder's path on the laptop; an own folder's parent directory (~/NAME).</summary>
    public string LaptopPath(string home) => Path ?? System.IO.Path.Combine(home, Name);
}
