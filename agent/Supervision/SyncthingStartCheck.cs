using Microsoft.Extensions.Logging;
using Thopter.Agent.Setup;
using Thopter.Agent.Systemd;

namespace Thopter.Agent.Supervision;

/// <summary>What must hold before the supervisor starts SyncThing; <see cref="SyncthingStartCheck"/> is the real one.</summary>
public interface IStartCheck
{
    Task EnsureAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Before each start: no SyncThing left serving the home by a killed supervisor (it holds the database lock, so ours would
/// crash-loop while it answers the API as if it were ours), and an identity made for this instance, so a clone never
/// comes up as the devbox it was copied from (the unit's ExecStartPre does the same under systemd).
/// </summary>
public sealed class SyncthingStartCheck(SyncthingServiceSpec spec, ILogger<SyncthingStartCheck> logger) : IStartCheck
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var strays = SyncthingProcesses.Unsupervised(spec.HomeDirectory, Environment.ProcessId, spec.UnitName);
        if (strays.Count > 0)
        {
            logger.LogWarning("stopping SyncThing pid {Pids}: it serves {Home} with no supervisor", string.Join(", ", strays.Select(s => s.Pid)), spec.HomeDirectory);
            await SyncthingProcesses.StopAsync(strays, StopGrace, cancellationToken).ConfigureAwait(false);
        }

        var paths = new SetupPaths(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), spec.HomeDirectory);
        var identity = new IdentityProvisioner(paths, TimeProvider.System, InstanceId.FromPlatform()).Guard();
        if (identity.Changed)
        {
            logger.LogWarning("identity {Action} before starting SyncThing: {Reason}", identity.Action, identity.Reason);
        }
    }
}
