using System.Text;

namespace Thopter.Laptop.Conflicts;

/// <summary>
/// A line diff of two versions for `conflicts show`: text only (UTF-8 without NUL bytes, at most
/// <see cref="MaxBytes"/>), from a longest common subsequence, with long unchanged stretches folded.
/// </summary>
public static class ConflictDiff
{
    public const int MaxBytes = 1024 * 1024;
    private const int MaxLines = 4000;
    private const int Context = 3;

    /// <summary>The text of a file, or null when it is not text (or too large to diff).</summary>
    public static string? TextOf(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length > MaxBytes)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Contains((byte)0))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Lines of "-" (only in <paramref name="before"/>), "+" (only in <paramref name="after"/>) and " " (both); null when too long.</summary>
    public static IReadOnlyList<string>? Lines(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        if (a.Length > MaxLines || b.Length > MaxLines)
        {
            return null;
        }

        // common[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<string>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add(" " + a[x++]);
                y++;
            }
            else if (x < a.Length && (y == b.Length || common[x + 1, y] >= common[x, y + 1]))
            {
                lines.Add("-" + a[x++]);
            }
            else
            {
                lines.Add("+" + b[y++]);
            }
        }

        return Fold(lines);
    }

    /// <summary>Keeps <see cref="Context"/> unchanged lines around each change and folds the rest into one line.</summary>
    private static List<string> Fold(List<string> lines)
    {
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i][0] != ' ')
            {
                for (var k = Math.Max(0, i - Context); k <= Math.Min(lines.Count - 1, i + Context); k++)
                {
                    keep[k] = true;
                }
            }
        }

        var folded = new List<string>();
        var skipped = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (keep[i])
            {
                if (skipped > 0)
                {
                    folded.Add($"@ {skipped} unchanged line{(skipped == 1 ? string.Empty : "s")}");
                    skipped = 0;
                }

                folded.Add(lines[i]);
            }
            else
            {
                skipped++;
            }
        }

        if (skipped > 0)
        {
            folded.Add($"@ {skipped} unchanged line{(skipped == 1 ? string.Empty : "s")}");
        }

        return folded;
    }
}
