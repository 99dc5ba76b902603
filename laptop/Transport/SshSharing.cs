using System.Security.Cryptography;
using System.Text;

namespace Thopter.Laptop.Transport;

/// <summary>
/// ssh connection sharing for tunnels: SyncThing opens several connections per devbox, each its own
/// <c>ssh HOST thopter-agent tunnel</c>, and each would pay a full ssh handshake and authentication. When the user's
/// own configuration (as <c>ssh -G</c> prints it for the same words) leaves ControlMaster and ControlPath unset, the
/// daemon adds a master of its own, in a private directory; a user who configured either keeps exactly that.
/// </summary>
public static class SshSharing
{
    /// <summary>How long a master outlives its last tunnel: long enough to carry SyncThing's redials after a drop.</summary>
    public static readonly TimeSpan Persist = TimeSpan.FromMinutes(5);

    // sun_path holds 107 bytes and a NUL; while binding, ssh names the socket PATH.XXXXXXXXXXXXXXXX (17 more bytes).
    private const int MaxControlPath = 107 - 17;

    /// <summary>
    /// The <c>-o</c> options that give <paramref name="prefix"/> a shared connection, or none with the reason.
    /// <paramref name="effectiveConfig"/> is <c>ssh -G</c>'s output for the prefix's words (lowercase keys, one per line).
    /// </summary>
    public static SshSharingDecision Decide(IReadOnlyList<string> prefix, string effectiveConfig, string controlDirectory)
    {
        // ssh -G prints "controlmaster false" for an explicit "no" too: the transport's own words are read for it.
        if (OwnSharingOption(prefix) is { } own)
        {
            return SshSharingDecision.None($"the transport sets {own}");
        }

        foreach (var line in effectiveConfig.Split('\n'))
        {
            var words = line.Trim().Split(' ', 2);
            var value = words.Length == 2 ? words[1].Trim() : string.Empty;
            if (words[0].Equals("controlmaster", StringComparison.OrdinalIgnoreCase) && !value.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return SshSharingDecision.None($"your ssh configuration sets ControlMaster {value}");
            }

            if (words[0].Equals("controlpath", StringComparison.OrdinalIgnoreCase) && value.Length > 0)
            {
                return SshSharingDecision.None($"your ssh configuration sets ControlPath {value}");
            }
        }

        // Named after the prefix's words rather than ssh's %C (40 characters): the path must fit a socket address.
        var path = Path.Combine(controlDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', prefix))))[..16]);
        if (Encoding.UTF8.GetByteCount(path) > MaxControlPath || path.Any(c => c == '%' || char.IsWhiteSpace(c)))
        {
            return SshSharingDecision.None($"the control socket path {path} does not fit a unix socket address (or holds a space or %)");
        }

        return new SshSharingDecision(
            ["-o", "ControlMaster=auto", "-o", $"ControlPath={path}", "-o", $"ControlPersist={(int)Persist.TotalSeconds}"],
            $"sharing one ssh connection per devbox through {path}");
    }

    private static string? OwnSharingOption(IReadOnlyList<string> prefix)
    {
        for (var i = 1; i < prefix.Count; i++)
        {
            var word = prefix[i];
            if (word.StartsWith("-o", StringComparison.Ordinal))
            {
                var option = word.Length > 2 ? word[2..] : i + 1 < prefix.Count ? prefix[++i] : string.Empty;
                var key = option.Split('=', ' ', '\t')[0];
                if (key.Equals("ControlMaster", StringComparison.OrdinalIgnoreCase) || key.Equals("ControlPath", StringComparison.OrdinalIgnoreCase))
                {
                    return $"-o {option}";
                }
            }
            else if (word.Length > 1 && word[0] == '-' && word[1..].All(char.IsAsciiLetter) && (word[1..].Contains('M', StringComparison.Ordinal) || word[1] == 'S'))
            {
                return word;
            }
        }

        return null;
    }
}

/// <summary>The ssh options a tunnel's transport gets for connection sharing (empty: none), and why.</summary>
public sealed record SshSharingDecision(IReadOnlyList<string> Options, string Reason)
{
    public static SshSharingDecision None(string reason) => new([], reason);
}
