using System.CommandLine;
using Thopter.Agent.Output;
using Thopter.Agent.Setup;

namespace Thopter.Agent.Commands;

/// <summary><c>uninstall</c>: stop SyncThing and remove its unit (or stop the fallback supervisor). The synced folder stays. Idempotent.</summary>
public sealed class UninstallCommand(AgentDependencies dependencies)
    : AgentCommand("uninstall", "stop SyncThing and remove its service; the synced folder is kept")
{
    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        using var choice = await dependencies.Services.OpenAsync(dependencies.UserHome, context.SyncthingHome, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        await ServiceStep.Guard(() => choice.Manager.RemoveAsync(cancellationToken)).ConfigureAwait(false);
        JsonOutput.Write(
            context.Output,
            new UninstallResult(ServiceStep.Name(choice.Supervisor), true, "the synced folder, SyncThing's home and the installed binary are kept"),
            AgentJsonContext.Output.UninstallResult);
        return ExitCodes.Ok.Value;
    }
}
