using Microsoft.Extensions.Hosting;

namespace Thopter.Agent.Acceleration;

/// <summary>
/// Holds the host's start until the accelerator watches its folders. The host reports "started" only after every
/// hosted service has started, and under systemd that is when it sends READY=1: so a Type=notify unit becomes active
/// once the accelerator has loaded its targets and reached SyncThing's API, not when its process merely exists.
/// </summary>
public sealed class AcceleratorReadiness(AcceleratorService accelerator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => accelerator.FirstWatching.WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
