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
[JsonSerializable(typeof(FolderStatus))]
[JsonSerializable(typeof(List<SyncthingEvent>))]
[JsonSerializable(typeof(SyncthingConfiguration))]
[JsonSerializable(typeof(DeviceConfig))]
[JsonSerializable(typeof(List<DeviceConfig>))]
[JsonSerializable(typeof(FolderConfig))]
[JsonSerializable(typeof(List<FolderConfig>))]
[JsonSerializable(typeof(OptionsConfig))]
public sealed partial class SyncthingJsonContext : JsonSerializerContext;
