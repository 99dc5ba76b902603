using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thopter.Shared.Rest;

// Config objects are round-tripped: every field we do not model is kept in ExtensionData and sent
// back on PUT, so a newer SyncThing's settings survive. Value fields are nullable so a PUT of a
// new object sends only what we set and SyncThing fills its own defaults for the rest.
// Classes rather than records: a record's ToString would print ExtensionData, which can hold
// secrets (gui.apiKey in the whole config, encryption passwords).

/// <summary>GET /rest/config: the whole configuration.</summary>
public sealed class RestConfiguration
{
    public int Version { get; set; }

    public List<RestFolder> Folders { get; set; } = [];

    public List<RestDevice> Devices { get; set; } = [];

    public RestOptions? Options { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>/rest/config/devices/{id}.</summary>
public sealed class RestDevice
{
    [JsonPropertyName("deviceID")]
    public string DeviceId { get; set; } = string.Empty;

    public string? Name { get; set; }

    /// <summary>"dynamic" or "tcp://127.0.0.1:22001" style addresses.</summary>
    public List<string>? Addresses { get; set; }

    public string? Compression { get; set; }

    public bool? Introducer { get; set; }

    public bool? Paused { get; set; }

    public bool? AutoAcceptFolders { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>/rest/config/folders/{id}.</summary>
public sealed class RestFolder
{
    public string Id { get; set; } = string.Empty;

    public string? Label { get; set; }

    public string? Path { get; set; }

    /// <summary>"sendreceive", "sendonly", "receiveonly", "receiveencrypted".</summary>
    public string? Type { get; set; }

    public List<RestFolderDevice>? Devices { get; set; }

    public int? RescanIntervalS { get; set; }

    public bool? FsWatcherEnabled { get; set; }

    /// <summary>Seconds to gather changes before a scan (an integer in v1, a float in v2).</summary>
    public double? FsWatcherDelayS { get; set; }

    /// <summary>SyncThing 2.x only: seconds to wait before pulling an announced change (default 1). Absent in 1.x.</summary>
    public double? PullerDelayS { get; set; }

    public bool? Paused { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A device a folder is shared with.</summary>
public sealed class RestFolderDevice
{
    [JsonPropertyName("deviceID")]
    public string DeviceId { get; set; } = string.Empty;

    [JsonPropertyName("introducedBy")]
    public string? IntroducedBy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>/rest/config/options (the fields we check; the rest round-trips).</summary>
public sealed class RestOptions
{
    public List<string>? ListenAddresses { get; set; }

    public bool? GlobalAnnounceEnabled { get; set; }

    public bool? LocalAnnounceEnabled { get; set; }

    public bool? RelaysEnabled { get; set; }

    public bool? NatEnabled { get; set; }

    public int? UrAccepted { get; set; }

    public int? AutoUpgradeIntervalH { get; set; }

    public bool? CrashReportingEnabled { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>/rest/config/gui: who may use the GUI/REST listener. Only the login fields are modelled; the API key stays in ExtensionData.</summary>
public sealed class RestGui
{
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>"static" (user and password in config.xml) or "ldap".</summary>
    public string? AuthMode { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
