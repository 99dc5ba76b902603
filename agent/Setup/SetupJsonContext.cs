using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thopter.Agent.Setup;

/// <summary>Source-generated JSON for setup's commands (same output options as the agent's other documents).</summary>
[JsonSerializable(typeof(SetupResult))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(PrepareSnapshotResult))]
[JsonSerializable(typeof(ResetIdentityResult))]
[JsonSerializable(typeof(UninstallResult))]
internal sealed partial class SetupJsonContext : JsonSerializerContext
{
    public static SetupJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
