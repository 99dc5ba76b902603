using System.CommandLine;
using Thopter.Agent.Output;
using Thopter.Agent.Setup;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>prepare-snapshot</c>: run on the golden devbox just before it is snapshotted. Stops SyncThing, removes its unit
/// (so a clone does not start SyncThing on boot before its own setup) and removes the identity and its instance record,
/// so every clone makes an identity of its own. Config and install stay; setup on the clone puts the unit back.
/// </summary>
public sealed class PrepareSnapshotCommand(AgentDependencies dependencies)
    : AgentCommand("prepare-snapshot", "stop SyncThing and remove this devbox's identity before it is snapshotted")
{
    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var paths = new SetupPaths(dependencies.UserHome, context.SyncthingHome);
        string supervisor;
        using (var choice = await ServiceStep.OpenAsync(dependencies.UserHome, TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            supervisor = ServiceStep.Name(choice.Supervisor);
            await ServiceStep.Guard(() => choice.Manager.RemoveAsync(cancellationToken)).ConfigureAwait(false);
        }

        var removed = new IdentityProvisioner(paths, dependencies.Time).Remove();
        JsonOutput.Write(context.Output, new PrepareSnapshotResult(supervisor, true, removed), AgentJsonContext.Output.PrepareSnapshotResult);
        return ExitCodes.Ok.Value;
    }
}
