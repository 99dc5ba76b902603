using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Thopter.Tests.Harness.Network;

namespace Thopter.Bench.Rig.Wan;

/// <summary>
/// The original design's route without the internet: Debian's `strelaysrv` and `stdiscosrv` run in the rig's "wan"
/// namespace (which has no route anywhere else), standing in for the public relay pool and global discovery. Both
/// sides know them by one name and port: on the laptop through delayed hops (the WAN's delay lies between the laptop
/// and the relay), in the devbox's namespace through zero-delay hops (the relay is near the devbox, as a cloud devbox
/// and a public relay are). The relay joins no pool and serves no status page.
/// </summary>
public sealed partial class PublicStandIns
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private PublicStandIns(string relayUri, string discoveryUri)
    {
        RelayUri = relayUri;
        DiscoveryUri = discoveryUri;
    }

    /// <summary>relay://localhost:PORT/?id=RELAY-ID: what both SyncThing listen on.</summary>
    public string RelayUri { get; }

    /// <summary>https://FAR:PORT/?insecure: the only global discovery server both use (its certificate is self-made).</summary>
    public string DiscoveryUri { get; }

    /// <summary>Starts both servers in <paramref name="wan"/>'s namespace (stopped with its rig) and the hops to them.</summary>
    public static async Task<PublicStandIns> StartAsync(WanDevbox wan, string stateDir, CancellationToken ct)
    {
        Directory.CreateDirectory(stateDir);

        // The relay's invitations carry no address (it listens on all of its namespace's), only its port: each side then
        // dials the address it knows the relay by, so the laptop's hop must listen on the relay's own port.
        // The discovery server drops announced addresses that are loopback IPs, so both sides know the relay by the name
        // "localhost" (each resolves it to its own loopback): on the laptop a delayed hop listens on 127.0.0.1:PORT, in
        // the devbox's namespace a zero-delay one.
        var relayListener = DelayingProxy.Listen(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), new IPEndPoint(IPAddress.Loopback, 0));
        var discoveryListener = WanDevbox.ListenFar();
        var relayPort = ((IPEndPoint)relayListener.LocalEndPoint!).Port;
        var discoveryPort = ((IPEndPoint)discoveryListener.LocalEndPoint!).Port;
        wan.Delayed(relayListener, NamespaceSockets.ConnectTo(wan.Rig.Wan, new IPEndPoint(NamespaceRig.WanAddress, relayPort)));
        var discovery = new IPEndPoint(NamespaceRig.WanAddress, discoveryPort);
        wan.Delayed(discoveryListener, NamespaceSockets.ConnectTo(wan.Rig.Wan, discovery));
        wan.Forward(wan.Rig.Devbox, new IPEndPoint(IPAddress.Loopback, relayPort), NamespaceSockets.ConnectTo(wan.Rig.Wan, new IPEndPoint(NamespaceRig.WanAddress, relayPort)));
        wan.Forward(wan.Rig.Devbox, new IPEndPoint(WanDevbox.Far, discoveryPort), NamespaceSockets.ConnectTo(wan.Rig.Wan, discovery));

        var relayId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        wan.Rig.Start(wan.Rig.Wan, ["strelaysrv", "-listen", $":{relayPort}", "-protocol", "tcp4", "-pools=", "-status-srv=", "-keys", stateDir], line =>
        {
            if (RelayId().Match(line) is { Success: true } match)
            {
                relayId.TrySetResult(match.Groups[1].Value);
            }
        });
        var discoveryUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        wan.Rig.Start(
            wan.Rig.Wan,
            ["stdiscosrv", "-listen", $":{discoveryPort}", "-db-dir", Path.Combine(stateDir, "discovery.db"), "-cert", Path.Combine(stateDir, "disco-cert.pem"),
             "-key", Path.Combine(stateDir, "disco-key.pem"), "-replication-listen", $"{NamespaceRig.WanAddress}:0"],
            line =>
            {
                if (line.Contains("Server device ID", StringComparison.Ordinal) || line.Contains("listening", StringComparison.OrdinalIgnoreCase))
                {
                    discoveryUp.TrySetResult();
                }
            });
        var id = await relayId.Task.WaitAsync(StartTimeout, ct);
        await discoveryUp.Task.WaitAsync(StartTimeout, ct);
        return new PublicStandIns($"relay://localhost:{relayPort}/?id={id}", $"https://{WanDevbox.Far}:{discoveryPort}/?insecure");
    }

    [GeneratedRegex(@"relay://[^ ]*[?&]id=([A-Z0-9-]{63})")]
    private static partial Regex RelayId();
}
