using System.CommandLine;
using Thopter.Agent.Output;
using Thopter.Agent.Setup;
using Thopter.Shared.Identity;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>prepare-snapshot</c>: run on the golden devbox just before it is snapshotted. Stops SyncThing and removes its unit
/// (so a clone does not start SyncThing on boot before its own setup), and sets the key pair aside under this instance's
/// name, so every clone makes an identity of its own while setup on this very devbox puts its identity back. It acts on
/// --home only: a home with nothing set up is refused, and a service that runs for another home is left alone.
/// </summary>
public sealed class PrepareSnapshotCommand(AgentDependencies dependencies)
    : AgentCommand("prepare-snapshot", "stop SyncThing and set this devbox's identity aside before it is snapshotted")
{
    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var paths = new SetupPaths(dependencies.UserHome, context.SyncthingHome);
        if (!SyncthingIdentity.Exists(paths.SyncthingHome) && !File.Exists(paths.ConfigPath))
        {
            throw new AgentException(ExitCodes.NotSetUp, $"nothing to prepare: {paths.SyncthingHome} holds no SyncThing identity or config.xml",
                $"pass the SyncThing home setup used with --home (default {dependencies.DefaultSyncthingHome})");
        }

        string supervisor;
        string service;
        using (var choice = await dependencies.Services.OpenAsync(dependencies.UserHome, paths.SyncthingHome, TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            supervisor = ServiceStep.Name(choice.Supervisor);
            if (choice.Manager.Serves(paths.SyncthingHome))
            {
                await ServiceStep.Guard(() => choice.Manager.RemoveAsync(cancellationToken)).ConfigureAwait(false);
                service = "removed";
            }
            else
            {
                service = "left alone: it runs SyncThing for another home";
            }
        }

        var setAside = new IdentityProvisioner(paths, dependencies.Time, dependencies.Platform.InstanceId).SetAside();
        JsonOutput.Write(context.Output, new PrepareSnapshotResult(supervisor, service == "removed", service, setAside), AgentJsonContext.Output.PrepareSnapshotResult);
        return ExitCodes.Ok.Value;
    }
}
