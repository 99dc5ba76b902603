using System.Diagnostics;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Transport;
using Thopter.Shared.Processes;
using Thopter.Tests.Harness;
using Thopter.Tests.Laptop;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// The ssh transport for real: sshd inside a devbox on a free loopback port, a test key authorized for dev, and an
/// ssh config in the test HOME. ssh reads ~/.ssh/config from the passwd home, not $HOME, so the test's transport names
/// the file with -F; everything else (hardening options, quoting of the remote command) is what users get.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SshTransportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pair_through_ssh_syncs_and_an_unreachable_ssh_host_is_reported()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await world.StartDevboxAsync("sshbox");
        var port = FreePort.Next();
        (await box.Devbox.ShellAsync("root", $"ssh-keygen -A >/dev/null && mkdir -p /run/sshd && usermod -p '*' dev && /usr/sbin/sshd -p {port} -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no -E {SshdLog}")).EnsureSuccess();

        var ssh = Path.Combine(world.Home, ".ssh");
        Directory.CreateDirectory(ssh);
        var key = Path.Combine(ssh, "id_thopter_test");
        Assert.True((await new ProcessRunner().RunAsync(new ProcessSpec("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]))).Succeeded, "ssh-keygen");
        (await box.Devbox.ShellAsync("dev", "mkdir -p -m 700 ~/.ssh && cat > ~/.ssh/authorized_keys && chmod 600 ~/.ssh/authorized_keys", new() { StandardInput = File.ReadAllText(key + ".pub") })).EnsureSuccess();
        var config = Path.Combine(ssh, "config");
        File.WriteAllText(config, $"""
            Host sshbox
              HostName 127.0.0.1
              Port {port}
              User dev
              IdentityFile {key}
              IdentitiesOnly yes
              StrictHostKeyChecking accept-new
              UserKnownHostsFile {Path.Combine(ssh, "known_hosts")}
            Host nobox
              HostName 127.0.0.1
              Port {FreePort.Next()}
            """);

        var clock = Stopwatch.StartNew();
        var paired = await world.CliJsonAsync(box.PairArguments($"ssh -F {config} sshbox"));
        output.WriteLine($"MEASURE pair through ssh (fresh devbox): {clock.ElapsedMilliseconds} ms {paired["timingsMs"]!.ToJsonString()}");

        Assert.Equal("tunnel", (string)paired["route"]!);
        output.WriteLine($"MEASURE opening a tunnel through ssh without connection sharing (7 runs): median {await TunnelOpenCost.MedianMsAsync(["ssh", "-F", config, "-o", "BatchMode=yes", "sshbox"]):0} ms");

        await box.WriteAsync("over-ssh.txt", "hello");
        await Eventually.TrueAsync("the file written on the ssh devbox on the laptop", () => File.Exists(Path.Combine(world.LaptopFolder, "over-ssh.txt")));
        await TunnelsShareOneSshConnectionAsync(box, paired["tunnelPort"]!.GetValue<int>(), world.Home, ["ssh", "-F", config, "sshbox"]);
        Assert.Equal((string)paired["deviceId"]!, (string)(await world.CliJsonAsync("sync", "device-id", "sshbox", "--refresh"))["deviceId"]!);

        // doctor through the same transport: every link checks out (agent version and health, direct connection, inotify).
        var doctor = await world.CliAsync("sync", "doctor", "--json");
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        Assert.Contains("\"devbox sshbox connection\"", doctor.Output, StringComparison.Ordinal);

        var unreachable = await world.CliAsync("sync", "pair", "other", "--transport", $"ssh -F {config} nobox");
        Assert.Equal(ExitCodes.DevboxUnreachable, unreachable.ExitCode);
        Assert.Contains($"unreachable through `ssh -F {config} nobox`", unreachable.Error, StringComparison.Ordinal);

        await HardeningWinsOverTheSshConfigAsync(world, config, port);
    }

    private const string SshdLog = "/tmp/sshd.log";

    /// <summary>
    /// The daemon's tunnels share one ssh connection: three more connections to the devbox's tunnel port (each one
    /// `ssh ... thopter-agent tunnel` carrying bytes to the devbox's SyncThing and back) cost sshd no new authentication,
    /// through the control socket in the daemon's private directory. Without sharing each would log one more.
    /// </summary>
    private async Task TunnelsShareOneSshConnectionAsync(TestDevbox box, int tunnelPort, string home, IReadOnlyList<string> prefix)
    {
        var before = await AuthenticationsAsync(box);
        for (var i = 0; i < 3; i++)
        {
            await RoundTripThroughTunnelAsync(tunnelPort);
        }

        var after = await AuthenticationsAsync(box);
        output.WriteLine($"sshd authentications: {before} before three more tunnels, {after} after");
        Assert.Equal(before, after);

        var directory = DaemonPaths.For(home, null).SshControlDirectory;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        var sharing = SshSharing.Decide(prefix, string.Empty, directory).Options;
        output.WriteLine($"MEASURE opening a tunnel through ssh sharing the daemon's connection (7 runs): median {await TunnelOpenCost.MedianMsAsync([prefix[0], "-o", "BatchMode=yes", .. sharing, .. prefix.Skip(1)]):0} ms");
        Assert.Equal(after, await AuthenticationsAsync(box));
    }

    private static async Task<int> AuthenticationsAsync(TestDevbox box) =>
        int.Parse((await box.Devbox.ShellAsync("root", $"grep -c 'Accepted publickey' {SshdLog} || true")).StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Bytes that are no TLS hello: the devbox's SyncThing answers them by closing, which proves the tunnel reached it.</summary>
    private static async Task RoundTripThroughTunnelAsync(int tunnelPort)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, tunnelPort);
        var stream = client.GetStream();
        await stream.WriteAsync("not a TLS hello\r\n\r\n"u8.ToArray());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // SyncThing may reset rather than close: either way it answered.
        }
    }

    /// <summary>
    /// A real ssh-agent on the laptop and a host entry asking for agent and X11 forwarding and a remote forward of a
    /// laptop port: plain ssh hands the devbox the agent socket and the port, thopter's transport neither; and a
    /// transport that asks for forwarding on the command line (-A comes after our -a and would win) is refused.
    /// </summary>
    private static async Task HardeningWinsOverTheSshConfigAsync(EndToEndWorld world, string config, int sshPort)
    {
        var socket = Path.Combine(world.Home, "agent.sock");
        using var agent = System.Diagnostics.Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", socket]) { RedirectStandardOutput = true })!;
        try
        {
            await Eventually.TrueAsync("the laptop's ssh-agent socket", () => File.Exists(socket));
            var laptopPort = FreePort.Next();
            File.AppendAllText(config, $"""

                Host forwarding
                  HostName 127.0.0.1
                  Port {sshPort}
                  User dev
                  IdentityFile {Path.Combine(world.Home, ".ssh", "id_thopter_test")}
                  IdentitiesOnly yes
                  UserKnownHostsFile {Path.Combine(world.Home, ".ssh", "known_hosts")}
                  StrictHostKeyChecking accept-new
                  ForwardAgent yes
                  ForwardX11 yes
                  RemoteForward 127.0.0.1:{laptopPort} 127.0.0.1:{world.LaptopHome.GuiPort}
                """);
            var runner = new AgentSocketRunner(socket);
            var probe = $"echo agent=${{SSH_AUTH_SOCK:-none}}; for i in 1 2 3 4 5 6 7 8 9 10; do if (exec 3<>/dev/tcp/127.0.0.1/{laptopPort}) 2>/dev/null; then echo port=open; exit 0; fi; sleep 0.3; done; echo port=closed";

            var plain = await runner.RunAsync(new ProcessSpec("ssh", ["-F", config, "forwarding", CommandPrefix.Format(["bash", "-c", probe])]) { Timeout = TimeSpan.FromSeconds(60) });
            Assert.True(plain.Succeeded, plain.StandardError);
            Assert.DoesNotContain("agent=none", plain.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("port=open", plain.StandardOutput, StringComparison.Ordinal);

            var transport = new DevboxTransport("forwarding", ["ssh", "-F", config, "forwarding"], runner);
            var hardened = await transport.RunAsync(["bash", "-c", probe], TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.True(hardened.Succeeded, hardened.StandardError);
            Assert.Equal("agent=none\nport=closed\n", hardened.StandardOutput);

            var refused = await CliRun.RunAsync(new CliEnvironment { Home = world.Home, Processes = runner }, "sync", "pair", "forwarding", "--transport", $"ssh -F {config} forwarding -A");
            Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
            Assert.Contains("-A forwards your ssh agent", refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            agent.Kill();
        }
    }

    /// <summary>The real process runner, with the test's ssh-agent as SSH_AUTH_SOCK (the test process's own environment stays as it is).</summary>
    private sealed class AgentSocketRunner(string socket) : IProcessRunner
    {
        private readonly ProcessRunner runner = new();

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default) =>
            runner.RunAsync(spec with { Environment = new Dictionary<string, string?>(spec.Environment) { ["SSH_AUTH_SOCK"] = socket } }, cancellationToken);
    }
}
