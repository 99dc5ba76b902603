namespace Thopter.Shared.Systemd;

/// <summary>Quoting for systemd unit files, shared by the agent's units and the laptop's `sync watch` unit.</summary>
public static class UnitFileQuoting
{
    /// <summary>
    /// Quotes one ExecStart/Environment word for systemd: '%' is a specifier and '$' a variable
    /// reference there, so both are doubled; words with blanks, quotes or backslashes are
    /// double-quoted with C escapes.
    /// </summary>
    public static string Quote(string word)
    {
        if (word.Any(char.IsControl))
        {
            throw new ArgumentException($"'{word}' contains a control character; systemd unit lines cannot carry it", nameof(word));
        }

        var escaped = word.Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        if (escaped.Length > 0 && !escaped.Any(c => c is ' ' or '\t' or '"' or '\'' or '\\' or ';'))
        {
            return escaped;
        }

        return "\"" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

}
