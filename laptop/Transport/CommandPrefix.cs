using System.Text;

namespace Thopter.Laptop.Transport;

/// <summary>
/// Splits a transport prefix such as <c>ssh box1</c> or <c>docker exec -u dev "my box"</c> into argv the way a POSIX
/// shell would split words (single quotes, double quotes with \" \\ \$ \` escapes, backslash outside quotes), without
/// ever running a shell: no expansion, no globbing, no command substitution. Shell operators are refused, since
/// nothing would run them.
/// </summary>
public static class CommandPrefix
{
    public static IReadOnlyList<string> Parse(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        words.Add(current.ToString());
                        current.Clear();
                        inWord = false;
                    }

                    break;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"unterminated single quote at position {i + 1}");
                    }

                    current.Append(text, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    i = ReadDoubleQuoted(text, i, current);
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 >= text.Length)
                    {
                        throw new FormatException("a backslash ends the text");
                    }

                    current.Append(text[++i]);
                    inWord = true;
                    break;
                case ';' or '|' or '&' or '<' or '>' or '`' or '(' or ')':
                    throw new FormatException($"'{c}' at position {i + 1} is shell syntax; a transport is a plain command prefix (quote the character if it is part of an argument)");
                default:
                    current.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words.Count > 0 ? words : throw new FormatException("it is empty");
    }

    /// <summary>POSIX single-quoting, for the one place a shell does read our words: the remote side of ssh.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '@' or ',' or '+')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Format(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    private static int ReadDoubleQuoted(string text, int open, StringBuilder current)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
            {
                current.Append(text[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        throw new FormatException($"unterminated double quote at position {open + 1}");
    }
}
