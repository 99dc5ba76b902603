using Thopter.Agent.Supervision;
using Thopter.Shared.IO;

namespace Thopter.Agent.Systemd;

/// <summary>
/// SyncThing as a systemd user unit: unit file in ~/.config/systemd/user, enabled for default.target; beside it the
/// accelerator's unit (<see cref="AcceleratorUserUnit"/>) when the spec asks for it, removed when it does not.
/// </summary>
public sealed class SystemdServiceManager(ISystemdUserManager manager, string userHome, string unitName = SyncthingServiceSpec.DefaultUnitName)
    : IServiceManager
{
    public SupervisorKind Supervisor => SupervisorKind.Systemd;

    private string UnitPath => SystemdUserUnit.UnitPath(userHome, unitName);

    private string AcceleratorPath => SystemdUserUnit.UnitPath(userHome, SyncthingServiceSpec.AcceleratorUnitName);

    public async Task<ServiceOutcome> EnsureInstalledAndRunningAsync(
        SyncthingServiceSpec spec, bool configChanged, CancellationToken cancellationToken = default)
    {
        if (spec.UnitName != unitName)
        {
            throw new ArgumentException($"this manager handles {unitName}, not {spec.UnitName}", nameof(spec));
        }

        var unitChanged = AtomicFile.WriteText(UnitPath, SystemdUserUnit.Render(spec), AtomicFile.PublicMode);
        var accelerate = spec.AgentBinary is not null;
        var acceleratorChanged = accelerate
            ? AtomicFile.WriteText(AcceleratorPath, AcceleratorUserUnit.Render(spec), AtomicFile.PublicMode)
            : await RemoveAcceleratorAsync(cancellationToken).ConfigureAwait(false);
        if (unitChanged || acceleratorChanged)
        {
            manager.Reload();
        }

        manager.EnableUnitFiles(accelerate ? [unitName, SyncthingServiceSpec.AcceleratorUnitName] : [unitName]);
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

        if (accelerate)
        {
            await EnsureAcceleratorRunningAsync(acceleratorChanged, cancellationToken).ConfigureAwait(false);
        }

        return new ServiceOutcome(Supervisor, action, unitChanged, GetStatus()) { Accelerator = AcceleratorState() };
    }

    public Task StopAsync(CancellationToken cancellationToken = default) =>
        File.Exists(UnitPath) ? manager.StopUnitAsync(unitName, cancellationToken) : Task.CompletedTask;

    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        var hadAccelerator = await RemoveAcceleratorAsync(cancellationToken).ConfigureAwait(false);
        if (!File.Exists(UnitPath))
        {
            if (hadAccelerator)
            {
                manager.Reload();
            }

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

    public bool HasAccelerator() => File.Exists(AcceleratorPath);

    /// <summary>No unit file: nothing to leave alone. Otherwise its ExecStart must name this home, quoted as the renderer quotes it.</summary>
    public bool Serves(string syncthingHome) =>
        !File.Exists(UnitPath) ||
        File.ReadLines(UnitPath).Any(line => line.StartsWith("ExecStart=", StringComparison.Ordinal) &&
            (line + " ").Contains(" " + SystemdUserUnit.QuoteArgument($"--home={syncthingHome}") + " ", StringComparison.Ordinal));

    /// <summary>"off" without the accelerator's unit file, else its state ("active/running").</summary>
    public string AcceleratorState()
    {
        if (!File.Exists(AcceleratorPath))
        {
            return "off";
        }

        var state = manager.GetUnitState(SyncthingServiceSpec.AcceleratorUnitName);
        return $"{state.ActiveState}/{state.SubState}";
    }

    private async Task EnsureAcceleratorRunningAsync(bool changed, CancellationToken cancellationToken)
    {
        var name = SyncthingServiceSpec.AcceleratorUnitName;
        var state = manager.GetUnitState(name);
        if (!state.IsActive)
        {
            if (state.ActiveState == "failed")
            {
                manager.ResetFailedUnit(name);
            }

            await manager.StartUnitAsync(name, cancellationToken).ConfigureAwait(false);
        }
        else if (changed)
        {
            await manager.RestartUnitAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops, disables and deletes the accelerator's unit; returns whether there was one.</summary>
    private async Task<bool> RemoveAcceleratorAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(AcceleratorPath))
        {
            return false;
        }

        await manager.StopUnitAsync(SyncthingServiceSpec.AcceleratorUnitName, cancellationToken).ConfigureAwait(false);
        manager.DisableUnitFiles([SyncthingServiceSpec.AcceleratorUnitName]);
        File.Delete(AcceleratorPath);
        File.Delete(AtomicFile.BackupPathOf(AcceleratorPath));
        return true;
    }
}
