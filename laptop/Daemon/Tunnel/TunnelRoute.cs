using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Thopter.Laptop.Route;
using Thopter.Laptop.Transport;
using Thopter.Shared.Processes;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>
/// One devbox on the tunnel route: its listener (on the recorded port; another one, recorded and given to SyncThing,
/// when something else took it) and its recovery. SyncThing redials a device only every 60 s after a failed dial, so
/// while no tunnel is open the route probes the devbox itself (<c>&lt;transport&gt; thopter-agent tunnel</c> with stdin
/// closed: exit 0 means the devbox and its SyncThing answer) with a bounded backoff, one transport start per step, and
/// once it answers makes SyncThing dial at once by respelling the device's address (<see cref="RedialSpellings"/>).
/// </summary>
public sealed class TunnelRoute(
    string devbox,
    DevboxEntry entry,
    DevboxTransport transport,
    ITunnelProcesses processes,
    IProcessRunner runner,
    SyncthingRestClient syncthing,
    ThopterConfigFile configFile,
    string sshControlDirectory,
    Func<string, bool> connected,
    TimeProvider time,
    ILogger log)
{
    /// <summary>Steps between probes of an unreachable devbox; the last repeats. Its bound is the recovery time's.</summary>
    public static readonly IReadOnlyList<TimeSpan> ProbeSteps = [TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)];

    /// <summary>How long SyncThing gets to dial after a prompt; a devbox that answers probes but never connects backs off to <see cref="MaxPromptBackoff"/>.</summary>
    public static readonly TimeSpan DialGrace = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MaxPromptBackoff = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(20);

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly RedialSpellings spellings = new(time);

    // Replaced once by the shared-connection variant of an ssh transport before the first tunnel opens.
    private DevboxTransport route = transport;

    public TunnelHealth Health { get; } = new(time);

    public int Port { get; private set; } = entry.TunnelPort ?? 0;

    public string Devbox => devbox;

    /// <summary>Completes once the listener is bound (on <see cref="Port"/>).</summary>
    public Task Listening => listening.Task;

    /// <summary>Transport starts made by probes (each tunnel SyncThing opens is one more).</summary>
    public int Probes { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var listener = await BindAsync(cancellationToken).ConfigureAwait(false);
        using (listener)
        {
            var (shared, sharing) = await TunnelSshSharing.ApplyAsync(route, runner, sshControlDirectory, cancellationToken).ConfigureAwait(false);
            route = shared;
            if (sharing is not null)
            {
                log.LogInformation("tunnels of {Devbox}: {Sharing}", devbox, sharing);
            }

            listening.TrySetResult();
            var accepting = new TunnelListener(route, TunnelListener.AgentTunnel(entry.AgentPath), processes, Health, log).AcceptAsync(listener, cancellationToken);
            await Task.WhenAll(accepting, RecoverAsync(cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task<TcpListener> BindAsync(CancellationToken cancellationToken)
    {
        if (TunnelListener.TryBind(Port) is { } recorded)
        {
            return recorded;
        }

        var taken = Port;
        TcpListener? listener = null;
        while (listener is null)
        {
            Port = DevboxRoute.FreeLoopbackPort();
            listener = TunnelListener.TryBind(Port);
        }

        log.LogWarning("tunnel port {Taken} of {Devbox} is taken by another program: moving it to {Port}", taken, devbox, Port);
        using (await configFile.LockAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false))
        {
            var settings = configFile.Load();
            if (settings.Devboxes.TryGetValue(devbox, out var saved) && saved.DeviceId == entry.DeviceId)
            {
                saved.TunnelPort = Port;
                configFile.Save(settings);
            }
        }

        await SetAddressAsync(_ => DevboxRoute.TunnelAddress(Port), cancellationToken).ConfigureAwait(false);
        return listener;
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var step = 0;
        var promptBackoff = DialGrace;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Connected without a tunnel (the devbox dialled the laptop itself): nothing to recover.
            if (Health.Open > 0 || connected(entry.DeviceId))
            {
                step = 0;
                promptBackoff = DialGrace;
                await Task.WhenAny(Health.Changed, Task.Delay(ProbeSteps[0], time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }

            // SyncThing redials by itself right after a connection closes: give that dial a moment first.
            var settle = ProbeSteps[0] - Health.Idle;
            if (settle > TimeSpan.Zero)
            {
                await Task.Delay(settle, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (await ProbeAsync(cancellationToken).ConfigureAwait(false))
            {
                log.LogInformation("devbox {Devbox} answers through `{Transport}`: asking SyncThing to dial it now", devbox, route.Describe);
                await SetAddressAsync(current => spellings.Next(current, Port), cancellationToken).ConfigureAwait(false);
                if (await ConnectedWithinAsync(promptBackoff, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                promptBackoff = TimeSpan.FromTicks(Math.Min(promptBackoff.Ticks * 2, MaxPromptBackoff.Ticks));
                continue;
            }

            await Task.Delay(ProbeSteps[Math.Min(step++, ProbeSteps.Count - 1)], time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        Probes++;
        try
        {
            var spec = route.SpecFor(TunnelListener.AgentTunnel(entry.AgentPath), ProbeTimeout) with { StandardInput = string.Empty, MaxOutputChars = 64 * 1024 };
            var result = await runner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
            return result.ExitCode is 0 or 54;
        }
        catch (Exception error) when (error is TimeoutException or System.ComponentModel.Win32Exception or ProcessOutputLimitException)
        {
            return false;
        }
    }

    private async Task<bool> ConnectedWithinAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp();
        while (time.GetElapsedTime(deadline) < grace)
        {
            if (Health.Open > 0 && Health.Last is not { Reached: false })
            {
                return true;
            }

            await Task.WhenAny(Health.Changed, Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return Health.Open > 0;
    }

    /// <summary>Rewrites the device's address in the laptop's SyncThing, only when it still is this tunnel's (pair owns it otherwise).</summary>
    private async Task SetAddressAsync(Func<string, string> change, CancellationToken cancellationToken)
    {
        try
        {
            if (await syncthing.GetDeviceAsync(entry.DeviceId, cancellationToken).ConfigureAwait(false) is not { Addresses: [var current] } device
                || DevboxRoute.TunnelPortOf(current) is null)
            {
                return;
            }

            device.Addresses = [change(current)];
            await syncthing.PutDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        }
        catch (SyncthingApiException error)
        {
            log.LogInformation("cannot update the address of {Devbox} in SyncThing: {Error}", devbox, error.Message);
        }
    }
}
