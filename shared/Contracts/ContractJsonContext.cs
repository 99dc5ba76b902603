using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thopter.Shared.Contracts;

/// <summary>
/// The one serializer for the documents the agent writes and the laptop reads, source-generated (NativeAOT needs no
/// reflection). Both binaries use it, so renaming a field on one side breaks the build, not a user's pair.
/// </summary>
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(SetupResult))]
[JsonSerializable(typeof(StatusResult))]
public sealed partial class ContractJsonContext : JsonSerializerContext
{
    public static ContractJsonContext Wire { get; } = new(WireOptions());

    /// <summary>
    /// camelCase, indented, nulls omitted, and quotes/non-ASCII written as themselves rather than \u0022: stdout is read
    /// by programs and people, never embedded in HTML, so the HTML-safe default escaping only hurts readability. A new
    /// instance per context (a context takes its options over); the agent's own documents use the same.
    /// </summary>
    public static JsonSerializerOptions WireOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
