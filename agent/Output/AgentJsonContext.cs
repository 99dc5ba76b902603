using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Thopter.Agent.Install;
using Thopter.Agent.Setup;

namespace Thopter.Agent.Output;

/// <summary>The agent's only JSON serializer: source-generated, so NativeAOT needs no reflection. Add every stdout DTO here.</summary>
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(InstallResult))]
[JsonSerializable(typeof(SetupResult))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(PrepareSnapshotResult))]
[JsonSerializable(typeof(ResetIdentityResult))]
[JsonSerializable(typeof(UninstallResult))]
[JsonSerializable(typeof(GuardIdentityResult))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
    /// <summary>
    /// camelCase, indented, nulls omitted, and quotes/non-ASCII written as themselves rather than \u0022: stdout is read
    /// by programs and people, never embedded in HTML, so the HTML-safe default escaping only hurts readability.
    /// </summary>
    public static AgentJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
