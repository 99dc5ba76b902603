namespace Thopter.Agent.Systemd;

/// <summary>
/// The calls setup makes on the per-user systemd manager. The real one speaks D-Bus
/// (<see cref="SystemdUserManager"/>); unit tests hand in a fake.
/// </summary>
public interface ISystemdUserManager
{
    /// <summary>daemon-reload: re-read unit files. Returns once systemd has finished reloading.</summary>
    Task ReloadAsync();

    Task EnableUnitFilesAsync(IReadOnlyList<string> unitNames);

    Task DisableUnitFilesAsync(IReadOnlyList<string> unitNames);

    /// <summary>Queues a start (mode "replace") and waits until the job is done and the unit is active.</summary>
    Task StartUnitAsync(string unitName, CancellationToken cancellationToken = default);

    /// <summary>Queues a restart (mode "replace") and waits until the job is done and the unit is active.</summary>
    Task RestartUnitAsync(string unitName, CancellationToken cancellationToken = default);

    /// <summary>Queues a stop (mode "replace") and waits until the unit is inactive or failed.</summary>
    Task StopUnitAsync(string unitName, CancellationToken cancellationToken = default);

    /// <summary>Forgets a unit's failed state and start-limit count, so a fresh start is not refused.</summary>
    Task ResetFailedUnitAsync(string unitName);

    Task<UnitState> GetUnitStateAsync(string unitName);
}
