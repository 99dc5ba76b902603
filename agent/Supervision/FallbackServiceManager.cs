using Thopter.Agent.Systemd;

namespace Thopter.Agent.Supervision;

/// <summary>
/// SyncThing under our own detached `thopter-agent run`, for hosts where no user manager is reachable. A SyncThing that
/// serves <paramref name="syncthingHome"/> outside the supervisor (left behind by a supervisor killed with -9) is never
/// counted as running: setup replaces it with a supervised one, uninstall stops it.
/// </summary>
public sealed class FallbackServiceManager(DetachedSupervisor supervisor, string syncthingHome) : IServiceManager
{
    private static readonly TimeSpan StrayStopGrace = TimeSpan.FromSeconds(10);

    public SupervisorKind Supervisor => SupervisorKind.Fallback;

    public async Task<ServiceOutcome> EnsureInstalledAndRunningAsync(
        SyncthingServiceSpec spec, bool configChanged, CancellationToken cancellationToken = default)
    {
        var running = supervisor.RunningPid();
        var definitionChanged = running is not null && !supervisor.IsRunning(spec);
        var hasStrays = Strays(running).Count > 0;
        if (running is not null && (definitionChanged || configChanged || hasStrays))
        {
            await supervisor.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (supervisor.RunningPid() is null)
        {
            await StopStraysAsync(cancellationToken).ConfigureAwait(false);
        }

        var (_, started) = await supervisor.EnsureRunningAsync(spec, cancellationToken).ConfigureAwait(false);
        var action = !started ? ServiceAction.AlreadyRunning : running is null ? ServiceAction.Started : ServiceAction.Restarted;
        return new ServiceOutcome(Supervisor, action, definitionChanged, GetStatus())
        {
            Accelerator = spec.AgentBinary is null ? "off" : "in-supervisor",
        };
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await supervisor.StopAsync(cancellationToken).ConfigureAwait(false);
        await StopStraysAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        File.Delete(supervisor.Paths.PidFile);
    }

    public ServiceStatus GetStatus()
    {
        var pid = supervisor.RunningPid();
        var strays = Strays(pid);
        var state = (pid, strays.Count) switch
        {
            (null, 0) => "stopped",
            (null, _) => $"unsupervised: SyncThing pid {Pids(strays)} serves {syncthingHome} with no supervisor (run setup to replace it)",
            (_, 0) => "running",
            _ => $"running, but SyncThing pid {Pids(strays)} serves {syncthingHome} outside the supervisor (run setup to replace it)",
        };
        return new ServiceStatus(Supervisor, Installed: pid is not null, Active: pid is not null && strays.Count == 0, state, pid ?? 0, supervisor.Paths.PidFile);
    }

    public bool HasAccelerator() => supervisor.RunningArguments().Contains("--accelerate");

    /// <summary>With no supervisor running there is nothing to leave alone; otherwise only the one serving this home counts.</summary>
    public bool Serves(string home) => supervisor.RunningPid() is null || supervisor.RunningArguments().Contains($"--home={home}");

    private IReadOnlyList<ServingProcess> Strays(int? supervisorPid) =>
        SyncthingProcesses.Unsupervised(syncthingHome, supervisorPid, SyncthingServiceSpec.DefaultUnitName);

    private Task StopStraysAsync(CancellationToken cancellationToken) =>
        SyncthingProcesses.StopAsync(Strays(null), StrayStopGrace, cancellationToken);

    private static string Pids(IEnumerable<ServingProcess> processes) => string.Join(", ", processes.Select(p => p.Pid));
}
