using Thopter.Laptop.Route;

namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>
/// Which spelling of a tunnel's address makes the laptop's SyncThing dial at once: the one given to it least recently
/// (never, at best). SyncThing dials each address string at most once per reconnection interval (60 s) and dials the
/// current one on that timer by itself; SyncThing 1.19's own redial after a closed connection does not reset the timer
/// (fixed by 1.29), so a tunnel killed within a minute of its dial waited up to that minute.
/// </summary>
public sealed class RedialSpellings(TimeProvider time)
{
    private readonly Dictionary<string, long> given = new(StringComparer.Ordinal);

    public string Next(string current, int port)
    {
        var now = time.GetTimestamp();
        given[current] = now;
        var next = DevboxRoute.TunnelSpellings(port).Where(s => s != current).MinBy(s => given.GetValueOrDefault(s, long.MinValue))!;
        given[next] = now;
        return next;
    }
}
