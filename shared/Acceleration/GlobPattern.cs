using System.Text;
using System.Text.RegularExpressions;

namespace Thopter.Shared.Acceleration;

/// <summary>
/// One SyncThing ignore glob (the gobwas/glob dialect with '/' as separator): <c>*</c> stays within a
/// path segment, <c>**</c> crosses segments, <c>?</c> is one non-separator character, <c>[a-z]</c> and
/// <c>[!a-z]</c> are classes, <c>{a,b}</c> are alternatives and <c>\</c> escapes the next character.
/// Translated to an anchored regular expression (interpreted, so NativeAOT-safe).
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;

    private GlobPattern(Regex regex) => _regex = regex;

    public bool IsMatch(string path) => _regex.IsMatch(path);

    /// <exception cref="FormatException">The glob is malformed (unclosed class or alternative, dangling escape).</exception>
    public static GlobPattern Compile(string glob)
    {
        var regex = new StringBuilder(@"\A(?:");
        var position = 0;
        Translate(glob, ref position, regex, insideAlternatives: false);
        if (position != glob.Length)
        {
            throw new FormatException($"unexpected '{glob[position]}' at offset {position} in glob \"{glob}\"");
        }

        regex.Append(@")\z");
        return new GlobPattern(new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    // Consumes glob text until its end, or (inside {…}) until the ',' or '}' that ends this alternative.
    private static void Translate(string glob, ref int position, StringBuilder regex, bool insideAlternatives)
    {
        while (position < glob.Length)
        {
            var c = glob[position];
            switch (c)
            {
                case ',' or '}' when insideAlternatives:
                    return;
                case '*' when position + 1 < glob.Length && glob[position + 1] == '*':
                    regex.Append(".*");
                    position += 2;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    position++;
                    break;
                case '?':
                    regex.Append("[^/]");
                    position++;
                    break;
                case '[':
                    TranslateClass(glob, ref position, regex);
                    break;
                case '{':
                    TranslateAlternatives(glob, ref position, regex);
                    break;
                case '\\':
                    if (position + 1 >= glob.Length)
                    {
                        throw new FormatException($"dangling escape at the end of glob \"{glob}\"");
                    }

                    regex.Append(Regex.Escape(glob[position + 1].ToString()));
                    position += 2;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    position++;
                    break;
            }
        }
    }

    private static void TranslateClass(string glob, ref int position, StringBuilder regex)
    {
        var end = glob.IndexOf(']', position + 1);
        if (end < 0)
        {
            throw new FormatException($"unclosed '[' at offset {position} in glob \"{glob}\"");
        }

        var body = glob.AsSpan(position + 1, end - position - 1);
        var negated = body.Length > 0 && body[0] == '!';
        if (negated)
        {
            body = body[1..];
        }

        if (body.IsEmpty)
        {
            throw new FormatException($"empty character class at offset {position} in glob \"{glob}\"");
        }

        regex.Append(negated ? "[^" : "[");
        foreach (var ch in body)
        {
            // '-' keeps its range meaning; everything else is literal inside the class.
            regex.Append(ch is '\\' or ']' or '[' or '^' ? "\\" + ch : ch.ToString());
        }

        regex.Append(']');
        position = end + 1;
    }

    private static void TranslateAlternatives(string glob, ref int position, StringBuilder regex)
    {
        var start = position;
        position++;
        regex.Append("(?:");
        while (true)
        {
            Translate(glob, ref position, regex, insideAlternatives: true);
            if (position >= glob.Length)
            {
                throw new FormatException($"unclosed '{{' at offset {start} in glob \"{glob}\"");
            }

            if (glob[position] == '}')
            {
                position++;
                regex.Append(')');
                return;
            }

            regex.Append('|');
            position++;
        }
    }
}
