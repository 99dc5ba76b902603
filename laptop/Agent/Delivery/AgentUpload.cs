using System.Globalization;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Transport;

namespace Thopter.Laptop.Agent.Delivery;

/// <summary>
/// Sends an agent binary to a devbox through its transport's stdin, no scp needed: a <c>sh -c</c> on the devbox writes
/// it to a temp file in <c>~/.local/bin</c> (mode 0600 until verified), checks its size and SHA-256, checks that it runs,
/// makes it executable and renames it over <c>~/.local/bin/thopter-agent</c>. Whatever goes wrong, the temp file is
/// removed and the previous agent stays as it was: a devbox never has a partial or unverified agent. No sudo.
/// </summary>
public static class AgentUpload
{
    /// <summary>The script's own exit codes (1 and 2 are sh's, 126/127 a missing sh, 255 ssh's).</summary>
    public const int ChecksumMismatch = 90;
    public const int NoHashTool = 91;
    public const int CannotWrite = 92;
    public const int DoesNotRun = 93;

    /// <summary>Arguments: the expected SHA-256 and size. Prints "installed PATH" on success.</summary>
    public const string Script = AgentProbe.HashFunction + """
        set -u
        dir="$HOME/.local/bin"
        mkdir -p "$dir" && tmp=$(mktemp "$dir/.thopter-agent.XXXXXX") || { echo "cannot write to $dir" >&2; exit 92; }
        trap 'rm -f "$tmp"' EXIT
        trap 'exit 129' HUP INT TERM
        cat > "$tmp" || { echo "cannot write to $tmp (disk full?)" >&2; exit 92; }
        size=$(wc -c < "$tmp" | tr -d ' ')
        got=$(sha "$tmp")
        [ -n "$got" ] || { echo "no sha256sum, shasum or openssl to check the upload with" >&2; exit 91; }
        [ "$size" = "$2" ] && [ "$got" = "$1" ] || { echo "received $size bytes with SHA-256 $got, expected $2 bytes with $1" >&2; exit 90; }
        chmod 755 "$tmp"
        out=$("$tmp" --version 2>&1) || { echo "it does not run here: $out" >&2; exit 93; }
        mv -f "$tmp" "$dir/thopter-agent" || { echo "cannot rename it to $dir/thopter-agent" >&2; exit 92; }
        echo "installed $dir/thopter-agent"
        """;

    private const int ChunkBytes = 64 * 1024;

    /// <summary>Sends <paramref name="binary"/>; returns the path of the installed agent on the devbox.</summary>
    public static async Task<string> SendAsync(DevboxTransport transport, AgentBinary binary, Progress progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = new[] { "sh", "-c", Script, "sh", binary.Sha256, binary.Length.ToString(CultureInfo.InvariantCulture) };
        var result = await transport.RunAsync(command, (stdin, ct) => CopyAsync(binary, stdin, transport.Devbox, progress, ct), timeout, cancellationToken).ConfigureAwait(false);
        progress.EndUpdate();
        var installed = result.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("installed /", StringComparison.Ordinal));
        if (result.Succeeded && installed is not null)
        {
            return DevboxText.Clean(installed["installed ".Length..]);
        }

        var detail = DevboxText.FirstLine(result.StandardError) ?? DevboxText.FirstLine(result.StandardOutput) ?? "no output";
        var devbox = transport.Devbox;
        throw result.ExitCode switch
        {
            ChecksumMismatch => new ThopterException(
                ErrorKind.AgentDeliveryFailed,
                $"thopter-agent sent to \"{devbox}\" arrived changed and was refused ({detail}); nothing was installed",
                IsEmptyUpload(detail)
                    ? $"the transport `{transport.Describe}` does not pass stdin on: use one that does (e.g. `docker exec -i`, `ssh HOST`), or install thopter-agent on the devbox by hand"
                    : $"run the command again; if it keeps failing, something on the way changes bytes: check `{transport.Describe}` (or install thopter-agent on the devbox by hand)"),
            NoHashTool => new ThopterException(
                ErrorKind.AgentDeliveryFailed,
                $"cannot check thopter-agent on \"{devbox}\": {detail}; nothing was installed",
                "install coreutils (sha256sum) on the devbox, or install thopter-agent there by hand"),
            DoesNotRun => new ThopterException(
                ErrorKind.AgentDeliveryFailed,
                $"thopter-agent sent to \"{devbox}\" arrived intact but does not run there ({detail}); nothing was installed",
                "the agent needs a glibc Linux; install a thopter-agent built for that devbox by hand in ~/.local/bin"),
            CannotWrite => new ThopterException(
                ErrorKind.AgentDeliveryFailed,
                $"cannot install thopter-agent on \"{devbox}\": {detail}",
                $"free space in ~/.local/bin on the devbox or make it writable for the transport's user, then run this again"),
            _ => new ThopterException(
                ErrorKind.AgentDeliveryFailed,
                $"sending thopter-agent to \"{devbox}\" through `{transport.Describe}` failed (exit {result.ExitCode}: {detail}); nothing was installed",
                $"check that `{transport.Describe} echo ok` works, then run this again"),
        };
    }

    private static bool IsEmptyUpload(string detail) => detail.StartsWith("received 0 bytes", StringComparison.Ordinal);

    private static async Task CopyAsync(AgentBinary binary, Stream stdin, string devbox, Progress progress, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(binary.Path);
        var buffer = new byte[ChunkBytes];
        long sent = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            sent += read;
            progress.Update(string.Create(CultureInfo.InvariantCulture, $"{devbox}: sending thopter-agent: {sent / 1048576.0:0.0} of {binary.Length / 1048576.0:0.0} MiB ({100 * sent / Math.Max(1, binary.Length)} %)"));
        }

        await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
