using System.Text.Json.Serialization;

namespace Thopter.Laptop.ThopterConfig;

/// <summary>The <c>syncthing</c> key's JSON contract, generated at build time (no reflection; the laptop publishes NativeAOT).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SyncSection))]
[JsonSerializable(typeof(string))]
internal sealed partial class ThopterJsonContext : JsonSerializerContext;
