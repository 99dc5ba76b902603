using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thopter.Shared.Rest;

/// <summary>
/// A /rest/system/error level: 2.x sends slog's short name ("WRN", or "WRN+2" between levels), 1.x its logger's number
/// (0 debug, 1 verbose, 2 info, 3 warning). Both read as the short name.
/// </summary>
public sealed class LogLevelConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString() ?? string.Empty,
        JsonTokenType.Number when reader.TryGetInt32(out var level) => level switch
        {
            <= 0 => "DBG",
            1 or 2 => "INF",
            3 => "WRN",
            _ => "ERR",
        },
        _ => throw new JsonException($"a log level is a string or a number, not {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
