using System.Text.Json.Serialization;

namespace Thopter.Shared.Rest;

/// <summary>Source-generated JSON for every REST DTO (no reflection: the agent is NativeAOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(SystemStatus))]
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(ConnectionsResponse))]
[JsonSerializable(typeof(SystemErrorsResponse))]
[JsonSerializable(typeof(FolderCompletion))]
[JsonSerializable(typeof(Dictionary<string, DeviceStatistics>))]
[JsonSerializable(typeof(FolderStatus))]
[JsonSerializable(typeof(DbFile))]
[JsonSerializable(typeof(List<SyncthingEvent>))]
[JsonSerializable(typeof(RestConfiguration))]
[JsonSerializable(typeof(RestDevice))]
[JsonSerializable(typeof(List<RestDevice>))]
[JsonSerializable(typeof(RestFolder))]
[JsonSerializable(typeof(List<RestFolder>))]
[JsonSerializable(typeof(RestOptions))]
[JsonSerializable(typeof(RestGui))]
public sealed partial class SyncthingJsonContext : JsonSerializerContext;
