using System.CommandLine;
using Thopter.Agent.Install;
using Thopter.Agent.Output;
using Thopter.Agent.Setup;
using Thopter.Shared.Devices;
using Thopter.Shared.Identity;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>reset-identity</c>: back up the key pair, make a new one (config.xml's own entries, the API key and the HTTPS key
/// pair change with it) and restart SyncThing when it is set up here. The laptop has to pair the new ID again.
/// </summary>
public sealed class ResetIdentityCommand(AgentDependencies dependencies)
    : AgentCommand("reset-identity", "back up and regenerate this devbox's SyncThing identity, then restart SyncThing")
{
    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var paths = new SetupPaths(dependencies.UserHome, context.SyncthingHome);
        Directory.CreateDirectory(paths.SyncthingHome);
        DeviceId? previous = SyncthingIdentity.Exists(paths.SyncthingHome) ? TryLoad(paths.SyncthingHome) : null;
        var outcome = new IdentityProvisioner(paths, dependencies.Time, dependencies.Platform.InstanceId).Reset();

        var serviceAction = "not-set-up";
        var layout = new InstallLayout(dependencies.UserHome);
        if (File.Exists(paths.ConfigPath) && layout.CurrentVersion() is { } installed)
        {
            using var choice = await dependencies.Services.OpenAsync(dependencies.UserHome, paths.SyncthingHome, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            var spec = ServiceStep.Spec(layout.CurrentBinary, installed, paths.SyncthingHome, choice.Manager.HasAccelerator());
            var result = await ServiceStep.Guard(() => choice.Manager.EnsureInstalledAndRunningAsync(spec, configChanged: true, cancellationToken)).ConfigureAwait(false);
            serviceAction = result.Action.ToString().ToLowerInvariant();
        }

        JsonOutput.Write(
            context.Output,
            new ResetIdentityResult(outcome.DeviceId.ToString(), previous?.ToString(), outcome.Backups, serviceAction),
            AgentJsonContext.Output.ResetIdentityResult);
        return ExitCodes.Ok.Value;
    }

    private static DeviceId? TryLoad(string home)
    {
        try
        {
            return SyncthingIdentity.Load(home).DeviceId;
        }
        catch (IdentityCorruptException)
        {
            return null;
        }
    }
}
