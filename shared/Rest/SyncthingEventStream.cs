using Thopter.Shared.Timing;

namespace Thopter.Shared.Rest;

/// <summary>
/// Waits for SyncThing events by long-polling /rest/events (no sleep-and-retry): each request
/// blocks in SyncThing until an event of the chosen types arrives or the poll window ends.
/// Call <see cref="StartAsync"/> before causing the change you want to see: SyncThing v1 only
/// buffers an event type once someone has asked for it.
/// </summary>
public sealed class SyncthingEventStream(SyncthingRestClient client, IReadOnlyCollection<string> types)
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(30);

    /// <summary>The id of the last event seen; only newer events are returned.</summary>
    public long LastId { get; private set; }

    /// <summary>Subscribes and skips what happened before now.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var history = await client.GetEventsAsync(0, types, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        LastId = history.Count == 0 ? 0 : history.Max(e => e.Id);
    }

    /// <summary>
    /// The first event after <see cref="LastId"/> that <paramref name="match"/> accepts. Throws
    /// <see cref="WaitTimeoutException"/> naming <paramref name="what"/> and the last events seen.
    /// </summary>
    public async Task<SyncthingEvent> WaitForAsync(
        string what,
        Func<SyncthingEvent, bool> match,
        TimeSpan timeout,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        time ??= TimeProvider.System;
        var started = time.GetTimestamp();
        var seen = new Queue<string>();
        while (true)
        {
            var remaining = timeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                var detail = seen.Count == 0 ? "no events of these types arrived" : "last events: " + string.Join("; ", seen);
                throw new WaitTimeoutException(what, timeout, null, detail);
            }

            // Whole seconds, at least one, so a sub-second remainder still gets a real poll.
            var window = TimeSpan.FromSeconds(Math.Max(1, Math.Floor(Math.Min(remaining.TotalSeconds, MaxPoll.TotalSeconds))));
            var batch = await client.GetEventsAsync(LastId, types, window, cancellationToken).ConfigureAwait(false);
            foreach (var item in batch.OrderBy(e => e.Id))
            {
                LastId = Math.Max(LastId, item.Id);
                if (match(item))
                {
                    return item;
                }

                seen.Enqueue($"{item.Type} {item.Data}");
                if (seen.Count > 5)
                {
                    seen.Dequeue();
                }
            }
        }
    }
}
