using Thopter.Agent.Systemd;

namespace Thopter.Agent.Supervision;

/// <summary>SyncThing under our own detached `thopter-agent run`, for hosts where no user manager is reachable.</summary>
public sealed class FallbackServiceManager(DetachedSupervisor supervisor) : IServiceManager
{
    public SupervisorKind Supervisor => SupervisorKind.Fallback;

    public async Task<ServiceOutcome> EnsureInstalledAndRunningAsync(
        SyncthingServiceSpec spec, bool configChanged, CancellationToken cancellationToken = default)
    {
        var running = supervisor.RunningPid() is not null;
        var definitionChanged = running && !supervisor.IsRunning(spec);
        ServiceAction action;
        if (running && (definitionChanged || configChanged))
        {
            await supervisor.StopAsync(cancellationToken).ConfigureAwait(false);
            await supervisor.EnsureRunningAsync(spec, cancellationToken).ConfigureAwait(false);
            action = ServiceAction.Restarted;
        }
        else
        {
            var (_, started) = await supervisor.EnsureRunningAsync(spec, cancellationToken).ConfigureAwait(false);
            action = started ? ServiceAction.Started : ServiceAction.AlreadyRunning;
        }

        return new ServiceOutcome(Supervisor, action, definitionChanged, Status())
        {
            Accelerator = spec.AgentBinary is null ? "off" : "in-supervisor",
        };
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => supervisor.StopAsync(cancellationToken);

    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        await supervisor.StopAsync(cancellationToken).ConfigureAwait(false);
        File.Delete(supervisor.Paths.PidFile);
    }

    public Task<ServiceStatus> GetStatusAsync() => Task.FromResult(Status());

    public bool HasAccelerator() => supervisor.RunningArguments().Contains("--accelerate");

    private ServiceStatus Status()
    {
        var pid = supervisor.RunningPid();
        return new ServiceStatus(
            Supervisor,
            Installed: pid is not null,
            Active: pid is not null,
            pid is null ? "stopped" : "running",
            pid ?? 0,
            supervisor.Paths.PidFile);
    }
}
