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
    /// The same listener under another spelling. SyncThing keeps its redial timer per address string, so switching to
    /// the other spelling makes it dial at once (the daemon's prompt once a devbox is reachable again).
    /// </summary>
    public static string OtherSpelling(string address) =>
        address.StartsWith("tcp4://", StringComparison.Ordinal) ? "tcp://" + address["tcp4://".Length..] : "tcp4://" + address["tcp://".Length..];

    /// <summary>True when <paramref name="addresses"/> is the tunnel on <paramref name="port"/>, in either spelling.</summary>
    public static bool IsTunnel(IReadOnlyList<string>? addresses, int port) =>
        addresses is [var only] && (only == TunnelAddress(port) || only == OtherSpelling(TunnelAddress(port)));

    /// <summary>A port on 127.0.0.1 that nothing listens on now (the kernel's choice).</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
