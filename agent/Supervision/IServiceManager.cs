using Thopter.Agent.Systemd;

namespace Thopter.Agent.Supervision;

/// <summary>Who keeps SyncThing running: the user's systemd manager, or our own detached `thopter-agent run`.</summary>
public enum SupervisorKind
{
    Systemd,
    Fallback,
}

/// <summary>What <see cref="IServiceManager.EnsureInstalledAndRunningAsync"/> had to do.</summary>
public enum ServiceAction
{
    AlreadyRunning,
    Started,
    Restarted,
}

public sealed record ServiceOutcome(SupervisorKind Supervisor, ServiceAction Action, bool DefinitionChanged, ServiceStatus Status)
{
    /// <summary>The accelerator beside SyncThing: "off", a unit state ("active/running"), or "in-supervisor" under `run`.</summary>
    public string Accelerator { get; init; } = "off";
}

/// <summary>A snapshot for `status`: Active is the one bit callers usually need; the rest explains it.</summary>
public sealed record ServiceStatus(SupervisorKind Supervisor, bool Installed, bool Active, string State, int MainPid, string Definition);

/// <summary>
/// The seam setup, uninstall and status use. Real implementations: <see cref="SystemdServiceManager"/>
/// and <see cref="FallbackServiceManager"/>; <see cref="SyncthingService.Open"/> picks one.
/// </summary>
public interface IServiceManager
{
    SupervisorKind Supervisor { get; }

    /// <summary>
    /// Installs (only when changed) and starts SyncThing; restarts it when the definition changed
    /// or <paramref name="configChanged"/> says SyncThing's own config was rewritten. Returns once it runs.
    /// </summary>
    Task<ServiceOutcome> EnsureInstalledAndRunningAsync(SyncthingServiceSpec spec, bool configChanged, CancellationToken cancellationToken = default);

    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops SyncThing and removes everything <see cref="EnsureInstalledAndRunningAsync"/> installed.</summary>
    Task RemoveAsync(CancellationToken cancellationToken = default);

    ServiceStatus GetStatus();

    /// <summary>Whether the installed service runs SyncThing for <paramref name="syncthingHome"/> (or nothing runs that another home would own).</summary>
    bool Serves(string syncthingHome);

    /// <summary>Whether the accelerator is installed beside SyncThing (so a restart for another reason keeps it as it is).</summary>
    bool HasAccelerator();
}
