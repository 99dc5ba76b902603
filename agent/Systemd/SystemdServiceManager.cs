using Thopter.Agent.Supervision;
using Thopter.Shared.IO;

namespace Thopter.Agent.Systemd;

/// <summary>SyncThing as a systemd user unit: unit file in ~/.config/systemd/user, enabled for default.target.</summary>
public sealed class SystemdServiceManager(ISystemdUserManager manager, string userHome, string unitName = SyncthingServiceSpec.DefaultUnitName)
    : IServiceManager
{
    public SupervisorKind Supervisor => SupervisorKind.Systemd;

    private string UnitPath => SystemdUserUnit.UnitPath(userHome, unitName);

    public async Task<ServiceOutcome> EnsureInstalledAndRunningAsync(
        SyncthingServiceSpec spec, bool configChanged, CancellationToken cancellationToken = default)
    {
        if (spec.UnitName != unitName)
        {
            throw new ArgumentException($"this manager handles {unitName}, not {spec.UnitName}", nameof(spec));
        }

        var unitChanged = AtomicFile.WriteText(UnitPath, SystemdUserUnit.Render(spec), AtomicFile.PublicMode);
        if (unitChanged)
        {
            manager.Reload();
        }

        manager.EnableUnitFiles([unitName]);
        var before = manager.GetUnitState(unitName);
        ServiceAction action;
        if (!before.IsActive)
        {
            if (before.ActiveState == "failed")
            {
                manager.ResetFailedUnit(unitName);
            }

            await manager.StartUnitAsync(unitName, cancellationToken).ConfigureAwait(false);
            action = ServiceAction.Started;
        }
        else if (unitChanged || configChanged)
        {
            await manager.RestartUnitAsync(unitName, cancellationToken).ConfigureAwait(false);
            action = ServiceAction.Restarted;
        }
        else
        {
            action = ServiceAction.AlreadyRunning;
        }

        return new ServiceOutcome(Supervisor, action, unitChanged, GetStatus());
    }

    public Task StopAsync(CancellationToken cancellationToken = default) =>
        File.Exists(UnitPath) ? manager.StopUnitAsync(unitName, cancellationToken) : Task.CompletedTask;

    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(UnitPath))
        {
            return;
        }

        await manager.StopUnitAsync(unitName, cancellationToken).ConfigureAwait(false);
        manager.DisableUnitFiles([unitName]);
        File.Delete(UnitPath);
        File.Delete(AtomicFile.BackupPathOf(UnitPath));
        manager.Reload();
    }

    public ServiceStatus GetStatus()
    {
        var installed = File.Exists(UnitPath);
        var state = manager.GetUnitState(unitName);
        return new ServiceStatus(Supervisor, installed, state.IsActive, $"{state.ActiveState}/{state.SubState}", (int)state.MainPid, UnitPath);
    }
}
