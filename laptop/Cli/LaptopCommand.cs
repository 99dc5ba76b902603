using System.CommandLine;

namespace Thopter.Laptop.Cli;

/// <summary>
/// One `thopter sync` command: a class in Commands/ that declares its options and arguments in its constructor and does
/// its work in <see cref="ExecuteAsync"/>, returning an exit code. It prints through <see cref="CommandContext"/> and
/// lets failures propagate; <see cref="CommandRunner"/> turns every exception into the user's error lines.
/// </summary>
public abstract class LaptopCommand(string name, string description) : Command(name, description)
{
    public abstract Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}
