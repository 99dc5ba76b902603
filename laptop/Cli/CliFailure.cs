namespace Thopter.Laptop.Cli;

/// <summary>A failure a command reports to the user: exit code, one-line reason, and the fix.</summary>
public sealed class CliFailure(int exitCode, string reason, string fix, Exception? innerException = null)
    : Exception(reason, innerException)
{
    public int ExitCode { get; } = exitCode;

    public string Fix { get; } = fix;
}
