using System.Text.Json.Serialization;

namespace Thopter.Laptop.Conflicts.Store;

/// <summary>Source-generated JSON for the conflict store's records (the laptop publishes NativeAOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConflictRecord))]
public sealed partial class ConflictJsonContext : JsonSerializerContext;
