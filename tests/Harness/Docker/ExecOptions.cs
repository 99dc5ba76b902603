namespace Thopter.Tests.Harness.Docker;

/// <summary>How to run one command in a devbox.</summary>
public sealed record ExecOptions
{
    public static ExecOptions Default { get; } = new();

    /// <summary>
    /// For a non-root user: set XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS as a login session would.
    /// False runs the command without them, as `docker exec`/ssh without a session does, so code
    /// that must find the user bus itself is tested for real.
    /// </summary>
    public bool WithUserBus { get; init; } = true;

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? StandardInput { get; init; }

    public string? WorkingDirectory { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}

public sealed record ExecResult(int ExitCode, string StandardOutput, string StandardError, string Command)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns this result, or throws with the command, exit code, stdout and stderr.</summary>
    public ExecResult EnsureSuccess() => Succeeded
        ? this
        : throw new InvalidOperationException($"`{Command}` exited {ExitCode}\nstdout: {StandardOutput.TrimEnd()}\nstderr: {StandardError.TrimEnd()}");
}
