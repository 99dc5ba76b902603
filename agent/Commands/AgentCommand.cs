using System.CommandLine;

namespace Thopter.Agent.Commands;

/// <summary>
/// One agent command: a class in Commands/ that declares its options in its constructor and does its work in
/// <see cref="ExecuteAsync"/>, returning an exit code. It prints its result on <see cref="CommandContext.Output"/> and throws
/// <see cref="AgentException"/> for anticipated failures; <see cref="CommandRunner"/> turns every exception into the JSON error.
/// </summary>
public abstract class AgentCommand(string name, string description) : Command(name, description)
{
    /// <summary>
    /// True for commands whose stdout is a bare value (device-id) rather than JSON: their errors go to stderr as one line,
    /// so a caller capturing stdout never mistakes an error document for the value.
    /// </summary>
    public virtual bool BareOutput => false;

    public abstract Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken);
}
