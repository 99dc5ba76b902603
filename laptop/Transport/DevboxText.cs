using System.Text;

namespace Thopter.Laptop.Transport;

/// <summary>
/// Everything a devbox sends is untrusted text before it reaches the user's terminal: control characters (escape
/// sequences that could rewrite the screen or the title, carriage returns that hide a line) are dropped, and a line
/// is cut to a readable length. A missing value reads as absent.
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

    /// <summary>A string from a devbox's document, cleaned; null when absent.</summary>
    public static string? String(string? text) => text is null ? null : Clean(text);

    /// <summary>Strings from a devbox's document, cleaned; absent ones skipped.</summary>
    public static IReadOnlyList<string> Strings(IEnumerable<string?>? texts) =>
        texts is null ? [] : [.. texts.Select(String).OfType<string>()];
}
