namespace Thopter.Agent;

/// <summary>
/// A failure the agent anticipated: it carries its exit code, a one-line reason and the fix to suggest.
/// Commands and domain code throw it; Commands/ErrorMapper turns it into the JSON error.
/// Messages must never contain secrets (the API key).
/// </summary>
public class AgentException(ExitCode code, string message, string fix, Exception? inner = null) : Exception(message, inner)
{
    public ExitCode Code { get; } = code;

    public string Fix { get; } = fix;
}
