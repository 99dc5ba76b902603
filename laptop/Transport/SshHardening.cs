namespace Thopter.Laptop.Transport;

/// <summary>
/// What keeps a devbox from reaching back into the laptop through an ssh transport: no agent forwarding, no X11
/// forwarding, no port forwarding (ours or from ~/.ssh/config), and BatchMode so nothing prompts. ssh keeps the first
/// value it reads for an <c>-o</c> option, so ours, placed before the user's words, win over the user's <c>-o</c> and
/// the config files; but <c>-A</c>, <c>-X</c> and <c>-Y</c> switch forwarding on whatever came before, so those are
/// refused, and so are the user's options that ask for what ours forbid (they would be ignored silently otherwise).
/// </summary>
public static class SshHardening
{
    public static readonly IReadOnlyList<string> Options =
    [
        "-a", "-x",
        "-o", "ForwardAgent=no", "-o", "ForwardX11=no", "-o", "ForwardX11Trusted=no", "-o", "ClearAllForwardings=yes",
        "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
    ];

    // ssh's single-letter options that take a value (ssh.c's getopt string).
    private const string WithValue = "BbcDEeFIiJLlmOopQRSWw";

    // The -o options above a user may not contradict, keyed the way ssh reads keys (any case).
    private static readonly Dictionary<string, string> Forced = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ForwardAgent"] = "ForwardAgent=no",
        ["ForwardX11"] = "ForwardX11=no",
        ["ForwardX11Trusted"] = "ForwardX11Trusted=no",
        ["ClearAllForwardings"] = "ClearAllForwardings=yes",
        ["BatchMode"] = "BatchMode=yes",
    };

    /// <summary>Why the words after <c>ssh</c> undo the hardening, or null. ssh reads options before and after the host, up to the remote command.</summary>
    public static string? Problem(IReadOnlyList<string> arguments)
    {
        var sawHost = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var word = arguments[i];
            if (word == "--" || !word.StartsWith('-') || word.Length == 1)
            {
                if (sawHost || word == "--")
                {
                    return null;
                }

                sawHost = true;
                continue;
            }

            for (var j = 1; j < word.Length; j++)
            {
                var flag = word[j];
                if (flag is 'A' or 'X' or 'Y')
                {
                    return $"-{flag} {(flag == 'A' ? "forwards your ssh agent" : "forwards your X11 display")} to the devbox";
                }

                if (WithValue.Contains(flag, StringComparison.Ordinal))
                {
                    var value = j + 1 < word.Length ? word[(j + 1)..] : i + 1 < arguments.Count ? arguments[++i] : string.Empty;
                    var problem = flag switch
                    {
                        'R' => $"-R {value} lets the devbox reach a port on this laptop",
                        'o' => OptionProblem(value),
                        _ => null,
                    };
                    if (problem is not null)
                    {
                        return problem;
                    }

                    break;
                }
            }
        }

        return null;
    }

    // "-o Key=Value", "-o Key Value", "-oKey=Value", keys in any case, values possibly quoted.
    private static string? OptionProblem(string option)
    {
        var text = option.Trim();
        var end = text.IndexOfAny(['=', ' ', '\t']);
        var key = end < 0 ? text : text[..end];
        var value = end < 0 ? string.Empty : text[end..].TrimStart().TrimStart('=').Trim().Trim('"');
        if (key.Equals("RemoteForward", StringComparison.OrdinalIgnoreCase))
        {
            return $"-o {option} lets the devbox reach a port on this laptop";
        }

        return Forced.TryGetValue(key, out var ours) && !value.Equals(ours.Split('=')[1], StringComparison.OrdinalIgnoreCase)
            ? $"-o {option} asks for what thopter forbids for devboxes ({ours})"
            : null;
    }
}
