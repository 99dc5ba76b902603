using Microsoft.Extensions.Hosting;

namespace Thopter.Agent.Supervision;

/// <summary>Hosts <see cref="SyncthingSupervisor"/>; when SyncThing stays down for good, the whole process ends with its code.</summary>
public sealed class SupervisorService(SyncthingSupervisor supervisor, IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <summary>1 until the supervisor returns normally, so an unexpected exception never exits 0.</summary>
    public int ExitCode { get; private set; } = 1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ExitCode = await supervisor.RunAsync(stoppingToken).ConfigureAwait(false);
        lifetime.StopApplication();
    }
}
