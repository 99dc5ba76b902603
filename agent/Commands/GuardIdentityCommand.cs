using System.CommandLine;
using Microsoft.Extensions.Logging;
using Thopter.Agent.Output;
using Thopter.Agent.Setup;
using Thopter.Shared.Contracts;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>guard-identity</c>: the SyncThing unit's ExecStartPre. A disk cloned from another devbox (a snapshot started without
/// prepare-snapshot, and without anyone running setup) must not bring SyncThing up as the original: when the identity in
/// --home was recorded on another platform it is backed up and replaced, with the API key and HTTPS key pair, before
/// SyncThing starts. On the instance it was made for it changes nothing. A failure fails the start: never the old identity.
/// </summary>
public sealed class GuardIdentityCommand(AgentDependencies dependencies)
    : AgentCommand("guard-identity", "make sure the identity in --home belongs to this instance (run before SyncThing starts)")
{
    public override Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var paths = new SetupPaths(dependencies.UserHome, context.SyncthingHome);
        var outcome = new IdentityProvisioner(paths, dependencies.Time, dependencies.Platform.InstanceId).Guard();
        if (outcome.Changed)
        {
            context.Logger("guard-identity").LogWarning("identity {Action}: {Reason}", outcome.Action, outcome.Reason);
        }

        JsonOutput.Write(
            context.Output,
            new GuardIdentityResult(outcome.DeviceId.ToString(), new IdentityReport(outcome.Action, outcome.Reason, outcome.InstanceId, outcome.Backups)),
            AgentJsonContext.Output.GuardIdentityResult);
        return Task.FromResult(ExitCodes.Ok.Value);
    }
}
