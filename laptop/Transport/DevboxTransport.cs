using Thopter.Laptop.Errors;
using Thopter.Shared.Processes;

namespace Thopter.Laptop.Transport;

/// <summary>
/// Runs commands on one devbox through its command prefix (<c>ssh HOST</c>, <c>docker exec -u dev C</c>, a cloud
/// provider's exec command...). The prefix runs as argv on the laptop, never through a local shell. ssh gets
/// <see cref="SshHardening"/> (a devbox must never reach the laptop's keys or ports, and a password prompt would hang),
/// a prefix that would undo it is refused, and its remote command is quoted word by word, because ssh hands it to the
/// remote user's shell.
/// </summary>
public sealed class DevboxTransport
{
    /// <summary>The most text read from a devbox command's stdout (and again its stderr): agent documents are a few KiB.</summary>
    public const int MaxOutputChars = 4 * 1024 * 1024;

    private readonly IProcessRunner processes;

    public DevboxTransport(string devbox, IReadOnlyList<string> prefix, IProcessRunner processes)
    {
        if (prefix.Count == 0)
        {
            throw new ArgumentException("a transport prefix has at least one word", nameof(prefix));
        }

        Devbox = devbox;
        Prefix = prefix;
        this.processes = processes;
        if (IsSsh && SshHardening.Problem([.. prefix.Skip(1)]) is { } problem)
        {
            throw new ThopterException(
                ErrorKind.BadInput,
                $"the transport `{Describe}` of devbox \"{devbox}\" is refused: {problem}",
                "drop that option (a devbox never gets your ssh agent, X11 display or a way back to this laptop's ports), then pair again with --transport");
        }
    }

    public string Devbox { get; }

    /// <summary>The prefix as recorded (without the ssh hardening options).</summary>
    public IReadOnlyList<string> Prefix { get; }

    public bool IsSsh => Path.GetFileName(Prefix[0]) == "ssh";

    public string Describe => CommandPrefix.Format(Prefix);

    /// <summary>
    /// The exact argv run on the laptop for <paramref name="command"/>; with <paramref name="input"/>, the bytes it
    /// writes are the command's stdin (see <see cref="StdinCarrier"/>).
    /// </summary>
    public ProcessSpec SpecFor(IReadOnlyList<string> command, TimeSpan timeout, Func<Stream, CancellationToken, Task>? input = null)
    {
        var prefix = input is null ? Prefix : StdinCarrier.Ensure(Prefix).Prefix;
        if (IsSsh)
        {
            return new ProcessSpec(prefix[0], [.. SshHardening.Options, .. prefix.Skip(1), CommandPrefix.Format(command)]) { Timeout = timeout, MaxOutputChars = MaxOutputChars, InputWriter = input };
        }

        return new ProcessSpec(prefix[0], [.. prefix.Skip(1), .. command]) { Timeout = timeout, MaxOutputChars = MaxOutputChars, InputWriter = input };
    }

    public Task<ProcessResult> RunAsync(IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(command, null, timeout, cancellationToken);

    /// <summary>Runs <paramref name="command"/> with the bytes <paramref name="input"/> writes as its stdin (null: none).</summary>
    public async Task<ProcessResult> RunAsync(IReadOnlyList<string> command, Func<Stream, CancellationToken, Task>? input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await processes.RunAsync(SpecFor(command, timeout, input), cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new ThopterException(
                ErrorKind.DevboxUnreachable,
                $"devbox \"{Devbox}\" unreachable: cannot start `{Prefix[0]}` ({error.Message})",
                $"install {Prefix[0]} or pair again with another --transport",
                error);
        }
        catch (ProcessOutputLimitException error)
        {
            throw new ThopterException(
                ErrorKind.AgentError,
                $"`{Describe} {CommandPrefix.Format(command)}` printed more than {ProcessOutputLimitException.Describe(error.Limit)} on {error.Stream}; thopter stopped reading and ended it",
                $"run `{Describe} {CommandPrefix.Format(command)}` by hand to see what prints so much (a login script on the devbox, or a broken thopter-agent)",
                error);
        }
        catch (TimeoutException error)
        {
            throw new ThopterException(
                ErrorKind.Timeout,
                $"`{Describe} {CommandPrefix.Format(command)}` did not finish within {timeout.TotalSeconds:0} s",
                "check that the devbox is up and not overloaded; raise --timeout if it is just slow",
                error);
        }

        // Ctrl-C reaches the whole process group: the child may die of it (128 + SIGINT/SIGTERM) before this
        // process has seen its own signal. Either way the command was interrupted, not broken.
        cancellationToken.ThrowIfCancellationRequested();
        if (result.ExitCode is 128 + 2 or 128 + 15)
        {
            throw new ThopterException(ErrorKind.Cancelled, $"interrupted: `{Describe}` was stopped by a signal (exit {result.ExitCode})", "run the command again; it is safe to repeat");
        }

        return result;
    }

    /// <summary>Runs <c>echo ok</c> first so a dead host, a stopped container or a refused key is reported as such.</summary>
    public async Task CheckReachableAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await RunAsync(["echo", "ok"], timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ThopterException failure) when (failure.Kind == ErrorKind.Timeout)
        {
            throw Unreachable($"no answer within {timeout.TotalSeconds:0} s", failure);
        }

        if (!result.Succeeded || result.StandardOutput.Trim() != "ok")
        {
            var detail = DevboxText.FirstLine(result.StandardError) ?? DevboxText.FirstLine(result.StandardOutput) ?? "no output";
            throw Unreachable($"exit {result.ExitCode}: {detail}", null);
        }
    }

    private ThopterException Unreachable(string detail, Exception? inner) => new(
        ErrorKind.DevboxUnreachable,
        $"devbox \"{Devbox}\" unreachable through `{Describe}` ({detail})",
        IsSsh
            ? $"check that `{Describe} echo ok` works from this shell (host in ~/.ssh/config, key loaded, host up); or pair again with another --transport"
            : $"check that `{Describe} echo ok` works (devbox running?); or pair again with another --transport",
        inner);
}
