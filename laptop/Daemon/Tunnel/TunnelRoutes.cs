using Microsoft.Extensions.Logging;
using Thopter.Laptop.Route;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.Transport;
using Thopter.Shared.Processes;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>
/// The running tunnel routes, one per devbox paired with route tunnel. A reload (pair, unpair, init) applies the new
/// settings: routes whose devbox, port, transport and SyncThing are unchanged keep running with their open tunnels (a
/// pair of another devbox must not cut this one's connections); the others are stopped or started. A new API key of the
/// laptop's SyncThing restarts every route: each holds a REST client for the address it respells.
/// </summary>
public sealed class TunnelRoutes(ITunnelProcesses processes, IProcessRunner runner, ThopterConfigFile configFile, string sshControlDirectory, Func<string, bool> connected, TimeProvider time, ILogger log) : IAsyncDisposable
{
    private readonly Dictionary<string, Running> running = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public IReadOnlyList<TunnelRoute> Apply(SyncSection saved, SyncthingEndpoint? endpoint)
    {
        var wanted = endpoint is null
            ? []
            : saved.Devboxes
                .Where(d => DevboxRoute.Of(d.Value) == DevboxRoute.Tunnel && d.Value.TunnelPort is not null && d.Value.Transport.Count > 0)
                .ToDictionary(d => $"{d.Key}|{d.Value.DeviceId}|{d.Value.TunnelPort}|{CommandPrefix.Format(d.Value.Transport)}|{d.Value.AgentPath}|{endpoint.Address}|{endpoint.Key.Fingerprint()}", d => d, StringComparer.Ordinal);
        List<Running> stopped;
        lock (gate)
        {
            stopped = [.. running.Where(r => !wanted.ContainsKey(r.Key)).Select(r => r.Value)];
            foreach (var stop in stopped)
            {
                running.Remove(stop.Key);
            }
        }

        // A restarted route (new key, transport or agent) binds the port its predecessor holds: it starts once that one has let go.
        var stopping = Task.WhenAll(stopped.Select(r => r.StopAsync()));
        lock (gate)
        {
            foreach (var (key, (name, entry)) in wanted.Where(w => !running.ContainsKey(w.Key)))
            {
                var client = endpoint!.CreateClient(null);
                var route = new TunnelRoute(name, entry, new DevboxTransport(name, entry.Transport, runner), processes, runner, client, configFile, sshControlDirectory, connected, time, log);
                var stop = new CancellationTokenSource();
                running[key] = new Running(key, route, stop, client, RunAsync(route, stopping, stop.Token));
            }

            return [.. running.Values.Select(r => r.Route)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Running> all;
        lock (gate)
        {
            all = [.. running.Values];
            running.Clear();
        }

        await Task.WhenAll(all.Select(r => r.StopAsync())).ConfigureAwait(false);
    }

    private async Task RunAsync(TunnelRoute route, Task predecessors, CancellationToken cancellationToken)
    {
        try
        {
            await predecessors.ConfigureAwait(false);
            await route.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unpaired, changed, or the daemon stops.
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            log.LogError(error, "the tunnel of {Devbox} stopped", route.Devbox);
        }
    }

    private sealed record Running(string Key, TunnelRoute Route, CancellationTokenSource Stop, IDisposable Client, Task Task)
    {
        public async Task StopAsync()
        {
            await Stop.CancelAsync().ConfigureAwait(false);
            await Task.ConfigureAwait(false);
            Stop.Dispose();
            Client.Dispose();
        }
    }
}
