using Thopter.Agent.Tunnel;
using Thopter.Shared.Rest;

namespace Thopter.Agent.Setup;

/// <summary>One TCP sync listener SyncThing could not open: its URL and SyncThing's own reason.</summary>
public sealed record ListenerFailure(string Address, string Error)
{
    public int Port => SyncListener.Endpoint(Address)?.Port ?? SyncListener.DefaultPort;

    public bool PortTaken => Error.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// setup's check after the API answers: SyncThing's TCP sync listener really listens. SyncThing only logs a failed
/// listen and retries, so without this check a port held by another program shows up much later, as a pair that never
/// connects (on the tunnel route the tunnel even connects to that other program).
/// </summary>
public sealed class SyncListenerCheck(TimeProvider time)
{
    /// <summary>How long a just-started SyncThing gets to try its listeners (it tries them as it starts, within milliseconds).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The TCP listeners the status reports as failed (QUIC and relays do not carry our sync connections).</summary>
    public static IReadOnlyList<ListenerFailure> Failures(SystemStatus status) =>
    [
        .. (status.ConnectionServiceStatus ?? [])
            .Where(listener => listener.Value.Error is { Length: > 0 } && SyncListener.Endpoint(listener.Key) is not null)
            .Select(listener => new ListenerFailure(listener.Key, listener.Value.Error!))
            .OrderBy(failure => failure.Address, StringComparer.Ordinal),
    ];

    /// <summary>
    /// The first TCP listener that reports an error, or null. A SyncThing up for longer than <see cref="Settle"/> has
    /// tried already, so one look is enough; a fresh one is looked at until it has run that long, since a listener not
    /// yet tried reports no error either.
    /// </summary>
    public async Task<ListenerFailure?> FindFailureAsync(SyncthingRestClient api, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await api.GetSystemStatusAsync(cancellationToken).ConfigureAwait(false);
            if (Failures(status) is [var failure, ..])
            {
                return failure;
            }

            if (TimeSpan.FromSeconds(status.Uptime) >= Settle)
            {
                return null;
            }

            await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>setup's error (<see cref="ExitCodes.SyncListenFailed"/>) for a listener SyncThing could not open.</summary>
    public static AgentException Failed(ListenerFailure failure) =>
        new(ExitCodes.SyncListenFailed, $"SyncThing cannot listen for sync connections on {failure.Address}: {failure.Error}", FixFor(failure));

    private static string FixFor(ListenerFailure failure) => failure.PortTaken
        ? $"another program holds port {failure.Port} (`ss -ltnp 'sport = :{failure.Port}'` names it): stop it and run setup again, " +
          $"or give SyncThing another port (laptop: thopter sync pair DEVBOX --agent-arg=--listen=tcp://127.0.0.1:PORT)"
        : "give SyncThing a sync address it can listen on (setup --listen; laptop: thopter sync pair DEVBOX --agent-arg=--listen=tcp://127.0.0.1:PORT)";
}
