using System.Net;
using System.Text.Json.Nodes;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Laptop;
using Xunit;

namespace Thopter.Tests.HarnessTests;

[Trait("Category", "Integration")]
public sealed class LaptopSyncthingTests
{
    [Theory]
    [MemberData(nameof(SyncthingBinary.Matrix), MemberType = typeof(SyncthingBinary))]
    public async Task Runs_the_real_syncthing_on_loopback_with_every_outside_contact_off_and_cleans_up(string version)
    {
        string root;
        int pid;
        await using (var laptop = await LaptopSyncthing.StartAsync(SyncthingBinary.Of(version)))
        {
            root = laptop.Root;
            pid = laptop.Process.ProcessId;
            Assert.Equal("127.0.0.1", laptop.RestAddress.Host);

            var running = JsonNode.Parse(await laptop.Client.GetStringAsync(new Uri("rest/system/version", UriKind.Relative)))!;
            Assert.StartsWith(version, running["version"]!.GetValue<string>(), StringComparison.Ordinal);
            var status = JsonNode.Parse(await laptop.Client.GetStringAsync(new Uri("rest/system/status", UriKind.Relative)))!;
            Assert.Equal(laptop.DeviceId.ToString(), status["myID"]!.GetValue<string>());
            var options = JsonNode.Parse(await laptop.Client.GetStringAsync(new Uri("rest/config/options", UriKind.Relative)))!;
            Assert.False(options["globalAnnounceEnabled"]!.GetValue<bool>());
            Assert.False(options["localAnnounceEnabled"]!.GetValue<bool>());
            Assert.False(options["relaysEnabled"]!.GetValue<bool>());
            Assert.False(options["natEnabled"]!.GetValue<bool>());
            Assert.False(options["crashReportingEnabled"]!.GetValue<bool>());
            Assert.Equal(-1, options["urAccepted"]!.GetValue<int>());
            Assert.Equal(0, options["autoUpgradeIntervalH"]!.GetValue<int>());
            Assert.All(options["listenAddresses"]!.AsArray(), address => Assert.StartsWith("tcp://127.0.0.1:", address!.GetValue<string>(), StringComparison.Ordinal));

            using var anonymous = new HttpClient { BaseAddress = laptop.RestAddress };
            using var refused = await anonymous.GetAsync(new Uri("rest/system/status", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.False(Directory.Exists(root));
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }

    [Fact]
    public async Task Two_laptops_get_their_own_ports_and_identities_take_config_edits_and_survive_a_restart()
    {
        await using var first = await LaptopSyncthing.StartAsync("first");
        await using var second = await LaptopSyncthing.StartAsync("second", config => config.UpsertDevice(first.Home.AsPeer()));

        Assert.NotEqual(first.RestAddress, second.RestAddress);
        Assert.NotEqual(first.DeviceId, second.DeviceId);
        Assert.NotEqual(first.ApiKey, second.ApiKey);
        var devices = await second.Client.GetStringAsync(new Uri("rest/config/devices", UriKind.Relative));
        Assert.Contains(first.DeviceId.ToString(), devices, StringComparison.Ordinal);

        var before = first.RestAddress;
        await first.RestartAsync();
        Assert.Equal(before, first.RestAddress);
        var status = JsonNode.Parse(await first.Client.GetStringAsync(new Uri("rest/system/status", UriKind.Relative)))!;
        Assert.Equal(first.DeviceId.ToString(), status["myID"]!.GetValue<string>());
    }
}
