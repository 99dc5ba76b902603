using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Thopter.Bench.Rig;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.Network;
using Thopter.Tests.Harness.ReleaseMirror;

namespace Thopter.Bench.Rig.Wan;

/// <summary>
/// A devbox across a simulated WAN: a systemd devbox container started without a network, whose namespace the
/// <see cref="NamespaceRig"/> attaches and links to its "wan" namespace (veth, 10.77.0.1 - 10.77.0.2). From the laptop
/// (the host's namespace) it is reachable only on its sshd port, through a <see cref="DelayingProxy"/> listening on
/// <see cref="Far"/> that holds every chunk <c>delay</c> each way and dials from the wan namespace.
/// </summary>
public sealed class WanDevbox : IAsyncDisposable
{
    /// <summary>The laptop's address for the far side of the WAN: a loopback address of its own, used by no one else.</summary>
    public static readonly IPAddress Far = IPAddress.Parse("127.77.0.1");

    private readonly List<DelayingProxy> proxies = [];
    private readonly DirectoryInfo sshDir = Directory.CreateTempSubdirectory("thopter-bench-wan-ssh-");

    private WanDevbox(DevboxNode node, NamespaceRig rig, TimeSpan delay)
    {
        Node = node;
        Rig = rig;
        Delay = delay;
    }

    public DevboxNode Node { get; }

    public NamespaceRig Rig { get; }

    public TimeSpan Delay { get; }

    /// <summary>`ssh -F SshConfig wanbox` reaches user dev on the devbox through the delayed link (BatchMode, key only, connection sharing).</summary>
    public string SshConfig => Path.Combine(sshDir.FullName, "config");

    public const string SshHost = "wanbox";

    public static async Task<WanDevbox> StartAsync(LocalReleaseMirror mirror, TimeSpan delay, CancellationToken ct)
    {
        var node = await DevboxNode.StartAsync(mirror, install: false, ct, new DevboxOptions().WithoutNetwork());
        NamespaceRig? rig = null;
        try
        {
            rig = await NamespaceRig.CreateAsync(await ContainerPidAsync(node.Devbox.ContainerId, ct), ct);
            node.Netns = rig.Devbox;
            var wan = new WanDevbox(node, rig, delay);
            try
            {
                // The devbox fetches SyncThing from the host's release mirror over a hop of the harness's own (no delay:
                // installing is not measured), on the same port on its loopback, so the agent's --mirror URL holds.
                wan.Forward(rig.Devbox, new IPEndPoint(IPAddress.Loopback, mirror.BaseUri.Port), DelayingProxy.To(new IPEndPoint(IPAddress.Loopback, mirror.BaseUri.Port)));
                (await node.AgentAsync(["install", .. IsolatedAgent.MirrorArguments(mirror)], ct)).EnsureSuccess();
                await wan.StartSshdAsync(ct);
                return wan;
            }
            catch
            {
                await wan.DisposeAsync();
                throw;
            }
        }
        catch when (rig is null)
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Exposes the devbox's <paramref name="devboxPort"/> (on 10.77.0.2) to the laptop at <see cref="Far"/>:PORT through the delayed link.</summary>
    public IPEndPoint Expose(int devboxPort) =>
        Delayed(ListenFar(), NamespaceSockets.ConnectTo(Rig.Wan, new IPEndPoint(NamespaceRig.DevboxAddress, devboxPort)));

    /// <summary>A zero-delay hop: a listener at <paramref name="listen"/> inside <paramref name="netns"/> whose connections <paramref name="connect"/> carries on.</summary>
    public IPEndPoint Forward(string netns, IPEndPoint listen, Func<CancellationToken, Task<Socket>> connect) =>
        AddProxy(DelayingProxy.Start(NamespaceSockets.Listen(netns, listen), connect, TimeSpan.Zero));

    /// <summary>A delayed hop for the laptop: connections to <paramref name="listener"/> (see <see cref="ListenFar"/>) carried on by <paramref name="connect"/>.</summary>
    public IPEndPoint Delayed(Socket listener, Func<CancellationToken, Task<Socket>> connect) =>
        AddProxy(DelayingProxy.Start(listener, connect, Delay));

    /// <summary>A socket listening on a free port of <see cref="Far"/> (the port is known before what it leads to is started).</summary>
    public static Socket ListenFar() =>
        DelayingProxy.Listen(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), new IPEndPoint(Far, 0));

    private IPEndPoint AddProxy(DelayingProxy proxy)
    {
        proxies.Add(proxy);
        return proxy.Endpoint;
    }

    private async Task StartSshdAsync(CancellationToken ct)
    {
        // The image's sshd is disabled and has no host keys (a golden snapshot must not carry them): make them, start it.
        (await Node.Devbox.ShellAsync("root", "ssh-keygen -A >/dev/null && systemctl start ssh.service && install -d -m 0700 -o dev -g dev /home/dev/.ssh", null, ct)).EnsureSuccess();
        var key = Path.Combine(sshDir.FullName, "id_ed25519");
        await RunAsync(ct, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key);
        await Node.Devbox.WriteFileAsync("/home/dev/.ssh/authorized_keys", await File.ReadAllTextAsync(Path.Combine(sshDir.FullName, "id_ed25519.pub"), ct), "dev", "0600", ct);
        var ssh = Expose(22);
        await File.WriteAllTextAsync(SshConfig, string.Join('\n',
            $"Host {SshHost}",
            $"  HostName {ssh.Address}",
            $"  Port {ssh.Port.ToString(CultureInfo.InvariantCulture)}",
            "  User dev",
            $"  IdentityFile {key}",
            "  IdentitiesOnly yes",
            "  BatchMode yes",
            "  ForwardAgent no",
            "  StrictHostKeyChecking no",
            "  UserKnownHostsFile /dev/null",
            "  LogLevel ERROR",
            "  ControlMaster auto",
            $"  ControlPath {sshDir.FullName}/cm-%C",
            "  ControlPersist 600",
            string.Empty), ct);
        await RunAsync(ct, "ssh", "-F", SshConfig, SshHost, "true");
    }

    private static async Task<int> ContainerPidAsync(string containerId, CancellationToken ct) =>
        int.Parse((await RunAsync(ct, "docker", "inspect", "-f", "{{.State.Pid}}", containerId)).Trim(), CultureInfo.InvariantCulture);

    private static Task<string> RunAsync(CancellationToken ct, string file, params string[] arguments) =>
        HostCommand.RunAsync(file, arguments, ct);

    public async ValueTask DisposeAsync()
    {
        // The ssh master connection is ours: end it before its link goes away.
        if (File.Exists(SshConfig))
        {
            try
            {
                await RunAsync(CancellationToken.None, "ssh", "-F", SshConfig, "-O", "exit", SshHost);
            }
            catch (InvalidOperationException)
            {
                // No master was running.
            }
        }

        foreach (var proxy in proxies)
        {
            await proxy.DisposeAsync();
        }

        await Rig.DisposeAsync();
        await Node.DisposeAsync();
        sshDir.Delete(recursive: true);
    }
}
