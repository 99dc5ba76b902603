using System.Text;
using System.Text.Json.Nodes;

namespace Thopter.Laptop.Transport;

/// <summary>
/// Everything a devbox sends is untrusted text before it reaches the user's terminal: control characters (escape
/// sequences that could rewrite the screen or the title, carriage returns that hide a line) are dropped, and a line
/// is cut to a readable length. JSON values of the wrong type read as absent instead of throwing.
/// </summary>
public static class DevboxText
{
    /// <summary>Longest piece of devbox text put into one message.</summary>
    public const int MaxLength = 400;

    public static string Clean(string text)
    {
        var clean = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        foreach (var c in text)
        {
            if (clean.Length > MaxLength)
            {
                break;
            }

            if (char.IsControl(c))
            {
                // Tabs and newlines become spaces so words stay apart; every other control character goes.
                if (c is '\t' or '\n')
                {
                    clean.Append(' ');
                }

                continue;
            }

            clean.Append(c);
        }

        return clean.Length > MaxLength ? string.Concat(clean.ToString(0, MaxLength), "…") : clean.ToString();
    }

    /// <summary>The first non-empty line, cleaned; null when there is none.</summary>
    public static string? FirstLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var clean = Clean(line).Trim();
            if (clean.Length > 0)
            {
                return clean;
            }
        }

        return null;
    }

    /// <summary>A JSON string, cleaned; null when absent or not a string.</summary>
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? Clean(text) : null;

    /// <summary>A JSON boolean; null when absent or not a boolean.</summary>
    public static bool? Bool(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    /// <summary>The strings of a JSON array, cleaned; values of other types are skipped.</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(String).OfType<string>()] : [];
}
