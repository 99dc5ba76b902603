using Thopter.Laptop.Errors;
using Thopter.Laptop.Transport;

namespace Thopter.Laptop.Agent.Delivery;

/// <summary>One thopter-agent found on a devbox: its path, what its <c>--version</c> printed, and its SHA-256 (null when unknown).</summary>
public sealed record DevboxAgent(string Path, string? Version, string? Sha256);

/// <summary>
/// What a devbox has, asked in one round trip through its transport: its machine (<c>uname -m</c>) and each
/// thopter-agent in <c>~/.local/bin</c> (where delivery installs it) and on the transport user's PATH, with its
/// version and SHA-256. The devbox's answer is untrusted text: each value is cleaned and bounded.
/// </summary>
public sealed record AgentProbe(string Machine, IReadOnlyList<DevboxAgent> Agents)
{
    /// <summary>Prints a file's SHA-256 with whatever tool the devbox has (coreutils, BSD/macOS shasum, openssl); nothing when none.</summary>
    public const string HashFunction = """
        sha() { { sha256sum "$1" || shasum -a 256 "$1" || openssl dgst -sha256 -r "$1"; } 2>/dev/null | cut -d' ' -f1; }

        """;

    /// <summary>Run as <c>sh -c SCRIPT</c>: one line per fact, "key value".</summary>
    public const string Script = HashFunction + """
        echo "machine $(uname -m)"
        own="$HOME/.local/bin/thopter-agent"
        found=$(command -v thopter-agent 2>/dev/null) || found=
        seen=
        for p in "$own" "$found"; do
          [ -n "$p" ] && [ -f "$p" ] && [ -x "$p" ] && [ "$p" != "$seen" ] || continue
          seen=$p
          echo "agent $p"
          echo "version $("$p" --version 2>/dev/null | head -n 1)"
          echo "sha256 $(sha "$p")"
        done
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<AgentProbe> RunAsync(DevboxTransport transport, CancellationToken cancellationToken)
    {
        var result = await transport.RunAsync(["sh", "-c", Script, "sh"], Timeout, cancellationToken).ConfigureAwait(false);
        var probe = result.Succeeded ? Parse(result.StandardOutput) : null;
        return probe ?? throw new ThopterException(
            ErrorKind.DevboxUnreachable,
            $"could not ask devbox \"{transport.Devbox}\" for its machine and thopter-agent (exit {result.ExitCode}: {DevboxText.FirstLine(result.StandardError) ?? DevboxText.FirstLine(result.StandardOutput) ?? "no output"})",
            $"check that `{transport.Describe} sh -c 'uname -m'` works: the devbox needs a POSIX sh");
    }

    /// <summary>The probe's answer, or null when it names no machine.</summary>
    public static AgentProbe? Parse(string output)
    {
        string? machine = null;
        var agents = new List<DevboxAgent>();
        foreach (var line in output.Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (key, value) = space < 0 ? (line, string.Empty) : (line[..space], DevboxText.Clean(line[(space + 1)..]).Trim());
            switch (key)
            {
                case "machine" when value.Length > 0:
                    machine = ElfMachine.Normalize(value);
                    break;
                case "agent" when value.Length > 0:
                    agents.Add(new DevboxAgent(value, null, null));
                    break;
                case "version" when agents.Count > 0 && value.Length > 0:
                    agents[^1] = agents[^1] with { Version = value };
                    break;
                case "sha256" when agents.Count > 0 && value.Length == 64 && value.All(char.IsAsciiHexDigitLower):
                    agents[^1] = agents[^1] with { Sha256 = value };
                    break;
            }
        }

        return machine is null ? null : new AgentProbe(machine, agents);
    }
}
