using System.Net;
using System.Net.Sockets;
using Thopter.Tests.Harness.Network;
using Xunit;

namespace Thopter.Tests.HarnessTests;

/// <summary>
/// The WAN bench's namespace rig (real `ip netns`, veth, setns; needs root like the rest of the suite): the two
/// namespaces are linked, and nothing of a rig outlives it — disposed, failed half-way, or left by a killed run.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NamespaceRigTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_wan_namespace_reaches_the_devbox_over_the_veth_and_dispose_removes_namespaces_and_processes()
    {
        NamespaceRig rig;
        int sleeper;
        await using (rig = await NamespaceRig.CreateAsync())
        {
            Assert.Contains(rig.Wan, await NamespaceRig.ListAsync());
            Assert.Contains(rig.Devbox, await NamespaceRig.ListAsync());
            using var listener = NamespaceSockets.Listen(rig.Devbox, new IPEndPoint(NamespaceRig.DevboxAddress, 0));
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            using var dialed = await NamespaceSockets.ConnectTo(rig.Wan, new IPEndPoint(NamespaceRig.DevboxAddress, port))(CancellationToken.None).WaitAsync(Bound);
            using var accepted = await listener.AcceptAsync().WaitAsync(Bound);
            Assert.Equal(NamespaceRig.WanAddress, ((IPEndPoint)accepted.RemoteEndPoint!).Address);
            var process = rig.Start(rig.Wan, ["sleep", "600"]);
            sleeper = process.Id;
            Assert.False(process.HasExited);
        }

        var left = await NamespaceRig.ListAsync();
        Assert.DoesNotContain(rig.Wan, left);
        Assert.DoesNotContain(rig.Devbox, left);
        Assert.False(Directory.Exists($"/proc/{sleeper}"), $"the process started in the rig ({sleeper}) outlived it");
        Assert.DoesNotContain(rig.Stem, await NamespaceRig.Ip(CancellationToken.None, "link", "show"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rig_that_fails_half_way_leaves_no_namespace_behind()
    {
        var before = await NamespaceRig.ListAsync();

        // No process has PID 4194305 (above the kernel's pid_max), so attaching the devbox namespace fails after the wan one exists.
        await Assert.ThrowsAsync<InvalidOperationException>(() => NamespaceRig.CreateAsync(devboxPid: 4194305));

        var mine = $"{NamespaceRig.Prefix}{Environment.ProcessId}x";
        Assert.DoesNotContain((await NamespaceRig.ListAsync()).Except(before), n => n.StartsWith(mine, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Leftovers_of_a_dead_run_are_swept_and_those_of_a_live_process_are_kept()
    {
        // PID 4194305 can never be alive; PID 1 always is.
        const string Dead = NamespaceRig.Prefix + "4194305x0-wan";
        const string Live = NamespaceRig.Prefix + "1x0-wan";
        await NamespaceRig.Ip(CancellationToken.None, "netns", "add", Dead);
        await NamespaceRig.Ip(CancellationToken.None, "netns", "add", Live);
        try
        {
            await NamespaceRig.SweepLeftovers();

            var left = await NamespaceRig.ListAsync();
            Assert.DoesNotContain(Dead, left);
            Assert.Contains(Live, left);
        }
        finally
        {
            foreach (var name in (await NamespaceRig.ListAsync()).Intersect([Dead, Live]))
            {
                await NamespaceRig.Ip(CancellationToken.None, "netns", "delete", name);
            }
        }
    }
}
