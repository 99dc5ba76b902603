using System.CommandLine;
using Thopter.Agent.Install;
using Thopter.Agent.Output;
using Thopter.Agent.Setup;
using Thopter.Agent.Systemd;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Shared.Identity;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>reset-identity</c>: back up the key pair, make a new one, point config.xml's own entries at the new ID and
/// restart SyncThing when it is set up here. The laptop has to pair the new ID again.
/// </summary>
public sealed class ResetIdentityCommand(AgentDependencies dependencies)
    : AgentCommand("reset-identity", "back up and regenerate this devbox's SyncThing identity, then restart SyncThing")
{
    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var paths = new SetupPaths(dependencies.UserHome, context.SyncthingHome);
        Directory.CreateDirectory(paths.SyncthingHome);
        DeviceId? previous = SyncthingIdentity.Exists(paths.SyncthingHome) ? TryLoad(paths.SyncthingHome) : null;
        var identities = new IdentityProvisioner(paths, dependencies.Time);
        var outcome = identities.Reset(identities.ReadRecord() ?? InstanceId.FromPlatform());

        var serviceAction = "not-set-up";
        var layout = new InstallLayout(dependencies.UserHome);
        if (File.Exists(paths.ConfigPath) && layout.CurrentVersion() is { } installed)
        {
            var config = SyncthingConfigDocument.Load(paths.ConfigPath);
            Repoint(config, previous, outcome.DeviceId);
            config.Save(paths.ConfigPath);
            using var choice = await ServiceStep.OpenAsync(dependencies.UserHome, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            var spec = new SyncthingServiceSpec(layout.CurrentBinary, paths.SyncthingHome)
            {
                SyncthingVersion = installed,
                AgentBinary = choice.Manager.HasAccelerator() ? ServiceStep.AgentBinary : null,
            };
            var result = await ServiceStep.Guard(() => choice.Manager.EnsureInstalledAndRunningAsync(spec, configChanged: true, cancellationToken)).ConfigureAwait(false);
            serviceAction = result.Action.ToString().ToLowerInvariant();
        }

        JsonOutput.Write(
            context.Output,
            new ResetIdentityResult(outcome.DeviceId.ToString(), previous?.ToString(), outcome.Backups, serviceAction),
            AgentJsonContext.Output.ResetIdentityResult);
        return ExitCodes.Ok.Value;
    }

    /// <summary>Replaces the old own device (entry and folder memberships) with the new one.</summary>
    private static void Repoint(SyncthingConfigDocument config, DeviceId? previous, DeviceId current)
    {
        var self = previous is { } old ? config.Devices.FirstOrDefault(d => d.Id == old) : null;
        var folders = config.Folders;
        if (previous is { } oldId)
        {
            config.RemoveDevice(oldId);
        }

        config.UpsertDevice(new DeviceConfig(current, self?.Name ?? Environment.MachineName));
        foreach (var folder in folders.Where(f => previous is { } oldId && f.Devices.Contains(oldId)))
        {
            config.UpsertFolder(folder with { Devices = folder.Devices.Select(d => d == previous ? current : d).ToList() });
        }
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
