using Microsoft.Extensions.Logging;
using Thopter.Laptop.Route;
using Thopter.Laptop.Transport;
using Thopter.Shared.Processes;
using Thopter.Shared.Rest;
using Thopter.Shared.ThopterConfig;

namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>The tunnel routes of one configuration: one <see cref="TunnelRoute"/> per devbox paired with route tunnel; they end with the configuration (a reload starts the new set).</summary>
public sealed class TunnelRoutes(ITunnelProcesses processes, IProcessRunner runner, ThopterConfigFile configFile, TimeProvider time, ILogger log)
{
    public IReadOnlyList<TunnelRoute> For(SyncSection saved, SyncthingRestClient syncthing) =>
    [
        .. saved.Devboxes
            .Where(d => DevboxRoute.Of(d.Value) == DevboxRoute.Tunnel && d.Value.TunnelPort is not null && d.Value.Transport.Count > 0)
            .Select(d => new TunnelRoute(d.Key, d.Value, new DevboxTransport(d.Key, d.Value.Transport, runner), processes, runner, syncthing, configFile, time, log)),
    ];

    public static async Task RunAsync(IReadOnlyList<TunnelRoute> routes, ILogger log, CancellationToken cancellationToken)
    {
        await Task.WhenAll(routes.Select(async route =>
        {
            try
            {
                await route.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Reload or shutdown.
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                log.LogError(error, "the tunnel of {Devbox} stopped", route.Devbox);
            }
        })).ConfigureAwait(false);
    }
}
