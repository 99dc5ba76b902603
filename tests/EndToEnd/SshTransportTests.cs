using System.Diagnostics;
using Thopter.Laptop;
using Thopter.Shared.Processes;
using Thopter.Tests.Harness;
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
        (await box.Devbox.ShellAsync("root", $"ssh-keygen -A >/dev/null && mkdir -p /run/sshd && usermod -p '*' dev && /usr/sbin/sshd -p {port} -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no")).EnsureSuccess();

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

        await box.WriteAsync("over-ssh.txt", "hello");
        await Eventually.TrueAsync("the file written on the ssh devbox on the laptop", () => File.Exists(Path.Combine(world.LaptopFolder, "over-ssh.txt")));
        Assert.Equal((string)paired["deviceId"]!, (string)(await world.CliJsonAsync("sync", "device-id", "sshbox", "--refresh"))["deviceId"]!);

        // doctor through the same transport: every link checks out (agent version and health, direct connection, inotify).
        var doctor = await world.CliAsync("sync", "doctor", "--json");
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        Assert.Contains("\"devbox sshbox connection\"", doctor.Output, StringComparison.Ordinal);

        var unreachable = await world.CliAsync("sync", "pair", "other", "--transport", $"ssh -F {config} nobox");
        Assert.Equal(ExitCodes.DevboxUnreachable, unreachable.ExitCode);
        Assert.Contains($"unreachable through `ssh -F {config} nobox`", unreachable.Error, StringComparison.Ordinal);
    }
}
