using System.Text.Json.Serialization;

namespace Thopter.Shared.Rest;

/// <summary>GET /rest/system/ping.</summary>
public sealed class PingResponse
{
    public string? Ping { get; init; }
}

/// <summary>GET /rest/system/status (the fields we use).</summary>
public sealed class SystemStatus
{
    [JsonPropertyName("myID")]
    public string MyId { get; init; } = string.Empty;

    /// <summary>Seconds since SyncThing started.</summary>
    public long Uptime { get; init; }

    public string? StartTime { get; init; }

    public string? GuiAddressUsed { get; init; }

    /// <summary>Each sync listener by its URL (e.g. "tcp://127.0.0.1:22000"), as 1.19 and 1.29 both report it.</summary>
    public Dictionary<string, ListenerStatus>? ConnectionServiceStatus { get; init; }
}

/// <summary>One sync listener of GET /rest/system/status.</summary>
public sealed class ListenerStatus
{
    /// <summary>Why it does not listen (e.g. "listen tcp 127.0.0.1:22000: bind: address already in use"); null when it does.</summary>
    public string? Error { get; init; }
}

/// <summary>GET /rest/system/version.</summary>
public sealed class SystemVersion
{
    /// <summary>For example "v1.19.2".</summary>
    public string Version { get; init; } = string.Empty;

    public string? LongVersion { get; init; }

    public string? Os { get; init; }

    public string? Arch { get; init; }

    public string? Codename { get; init; }
}

/// <summary>GET /rest/system/connections.</summary>
public sealed class ConnectionsResponse
{
    public Dictionary<string, DeviceConnection> Connections { get; init; } = [];
}

/// <summary>One remote device's connection. v1 also lists the local device (never connected); v2 leaves it out.</summary>
public sealed class DeviceConnection
{
    public bool Connected { get; init; }

    public bool Paused { get; init; }

    /// <summary>Remote address, e.g. "127.0.0.1:22001"; empty when not connected.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>"tcp-client", "tcp-server", "quic-client", "relay-client", "relay-server", ...; empty when not connected.</summary>
    public string Type { get; init; } = string.Empty;

    public string? Crypto { get; init; }

    public string? ClientVersion { get; init; }

    public bool IsLocal { get; init; }

    /// <summary>True when the traffic goes through a relay rather than a direct connection.</summary>
    [JsonIgnore]
    public bool IsRelayed => Type.StartsWith("relay", StringComparison.Ordinal);
}

/// <summary>GET /rest/system/error.</summary>
public sealed class SystemErrorsResponse
{
    public List<SystemErrorLine>? Errors { get; init; }
}

public sealed class SystemErrorLine
{
    /// <summary>RFC 3339 time as SyncThing wrote it (nanosecond precision, kept as text).</summary>
    public string When { get; init; } = string.Empty;

    public string Message { get; init; } = string.Empty;

    /// <summary>DBG, INF, WRN or ERR (2.x sends these; 1.x's numbers are mapped to them, see <see cref="LogLevelConverter"/>).</summary>
    [JsonConverter(typeof(LogLevelConverter))]
    public string Level { get; init; } = string.Empty;
}

/// <summary>One device's entry of GET /rest/stats/device.</summary>
public sealed class DeviceStatistics
{
    /// <summary>RFC 3339 time SyncThing last saw the device connected ("1970-01-01T00:00:00Z" when never).</summary>
    public string? LastSeen { get; init; }

    public double LastConnectionDurationS { get; init; }
}
