using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Route;

/// <summary>
/// How the laptop's SyncThing reaches a devbox. <c>tunnel</c> (the default): the daemon's 127.0.0.1 listener runs
/// <c>&lt;transport&gt; thopter-agent tunnel</c> per connection, and the devbox's SyncThing listens on its own loopback
/// only, with discovery, relays and NAT off. <c>direct</c>: the devbox's listen address when the laptop can dial it.
/// <c>public</c>: global discovery and community relays (opt-in; reported as such).
/// </summary>
public static class DevboxRoute
{
    public const string Tunnel = "tunnel";
    public const string Direct = "direct";
    public const string Public = "public";

    public static readonly IReadOnlyList<string> All = [Tunnel, Direct, Public];

    /// <summary>Where the devbox's SyncThing listens on the tunnel route: its own loopback, never the network.</summary>
    public const string DevboxListenAddress = "tcp://127.0.0.1:22000";

    /// <summary>A devbox paired before routes existed was reached directly (or through discovery when not dialable).</summary>
    public static string Of(DevboxEntry entry) => entry.Route ?? Direct;

    /// <summary>What the laptop's SyncThing dials for the tunnel on <paramref name="port"/>.</summary>
    public static string TunnelAddress(int port) => $"tcp://127.0.0.1:{port}";

    /// <summary>
    /// Every spelling of the tunnel's listener on <paramref name="port"/>, <see cref="TunnelAddress"/> first. SyncThing
    /// dials each address string at most once per reconnection interval (60 s) and dials a new one at once, so the daemon
    /// prompts a redial by switching to the spelling it used least recently. All are IPv4 loopback literals (an
    /// IPv4-mapped IPv6 literal is dialled as IPv4): no name lookup, and the daemon's 127.0.0.1 listener answers each.
    /// </summary>
    public static IReadOnlyList<string> TunnelSpellings(int port) =>
        [.. SpellingPrefixes.Select(prefix => string.Create(CultureInfo.InvariantCulture, $"{prefix}{port}"))];

    /// <summary>The port of a tunnel address in any of its spellings; null for any other address.</summary>
    public static int? TunnelPortOf(string address)
    {
        foreach (var prefix in SpellingPrefixes)
        {
            if (address.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(address.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && port is > 0 and < 65536)
            {
                return port;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="addresses"/> is the tunnel on <paramref name="port"/>, in any spelling.</summary>
    public static bool IsTunnel(IReadOnlyList<string>? addresses, int port) =>
        addresses is [var only] && TunnelPortOf(only) == port;

    private static readonly string[] SpellingPrefixes = ["tcp://127.0.0.1:", "tcp4://127.0.0.1:", "tcp://[::ffff:127.0.0.1]:", "tcp4://[::ffff:127.0.0.1]:"];

    /// <summary>A port on 127.0.0.1 that nothing listens on now (the kernel's choice).</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
