using System.Globalization;
using System.Net;
using Thopter.Shared.Config;

namespace Thopter.Agent.Tunnel;

/// <summary>
/// Where this devbox's SyncThing accepts sync connections, as config.xml says: every TCP listen address, with a
/// wildcard host read as loopback (the tunnel always connects from this machine) and "default" as SyncThing's own
/// default, tcp://0.0.0.0:22000. QUIC and relay addresses are skipped: the tunnel carries one TCP stream.
/// </summary>
public static class SyncListener
{
    public const int DefaultPort = 22000;

    public static IReadOnlyList<DnsEndPoint> Endpoints(OptionsConfig options) =>
        [.. options.ListenAddresses.Select(Endpoint).OfType<DnsEndPoint>().Distinct()];

    public static DnsEndPoint? Endpoint(string address)
    {
        if (address == "default")
        {
            return new DnsEndPoint(IPAddress.Loopback.ToString(), DefaultPort);
        }

        var scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || address[..scheme] is not ("tcp" or "tcp4" or "tcp6"))
        {
            return null;
        }

        // host:port with an optional [IPv6] host and anything after the port (?options) ignored; SyncThing accepts an empty host.
        var rest = address[(scheme + 3)..].Split(['/', '?'], 2)[0];
        var colon = rest.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        var host = rest[..colon].Trim('[', ']');
        return host switch
        {
            "" or "0.0.0.0" => new DnsEndPoint(IPAddress.Loopback.ToString(), port),
            "::" => new DnsEndPoint(IPAddress.IPv6Loopback.ToString(), port),
            _ => new DnsEndPoint(host, port),
        };
    }
}
