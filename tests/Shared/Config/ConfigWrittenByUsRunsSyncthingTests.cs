using System.Text.Json.Nodes;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness;
using Xunit;

namespace Thopter.Tests.Shared.Config;

/// <summary>
/// Two real SyncThings started from identities and config.xml written entirely by our code: each
/// reports exactly what we wrote, and they find each other over 127.0.0.1 with every discovery,
/// relay, NAT and telemetry path off. On every release of the version matrix, with the config version
/// of that release.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConfigWrittenByUsRunsSyncthingTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("thopter-stcfg-");

    public void Dispose() => _root.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(SyncthingBinary.Matrix), MemberType = typeof(SyncthingBinary))]
    public async Task Two_instances_report_our_config_and_connect_over_loopback(string version)
    {
        var syncthing = SyncthingBinary.Of(version);
        var laptop = SyncthingTestHome.Create(Path.Combine(_root.FullName, "laptop"), "laptop", version);
        var devbox = SyncthingTestHome.Create(Path.Combine(_root.FullName, "devbox"), "devbox", version);
        var laptopFolder = Directory.CreateDirectory(Path.Combine(_root.FullName, "laptop-src")).FullName;
        var devboxFolder = Directory.CreateDirectory(Path.Combine(_root.FullName, "devbox-src")).FullName;
        Share(laptop, devbox, laptopFolder);
        Share(devbox, laptop, devboxFolder);
        var configBefore = File.ReadAllText(laptop.ConfigPath);

        await using var laptopSt = await SyncthingProcess.StartAsync(syncthing, laptop.HomeDir);
        await using var devboxSt = await SyncthingProcess.StartAsync(syncthing, devbox.HomeDir);

        var config = await GetJson(laptopSt, "rest/config");
        Assert.Equal(
            new[] { laptop.DeviceId, devbox.DeviceId }.Order(DeviceIdOrder.Instance),
            config["devices"]!.AsArray().Select(d => DeviceId.Parse((string)d!["deviceID"]!)).Order(DeviceIdOrder.Instance));
        var peer = config["devices"]!.AsArray().Single(d => (string)d!["deviceID"]! == devbox.DeviceId.ToString())!;
        Assert.Equal("devbox", (string)peer["name"]!);
        Assert.Equal([devbox.ListenAddress], peer["addresses"]!.AsArray().Select(a => (string)a!));

        var folder = Assert.Single(config["folders"]!.AsArray())!;
        Assert.Equal("src", (string)folder["id"]!);
        Assert.Equal("Source", (string)folder["label"]!);
        Assert.Equal(laptopFolder, (string)folder["path"]!);
        Assert.Equal("sendreceive", (string)folder["type"]!);
        Assert.Equal(1, (int)folder["fsWatcherDelayS"]!);
        Assert.Equal(600, (int)folder["rescanIntervalS"]!);
        Assert.Equal(7, (int)folder["maxConflicts"]!);
        Assert.Equal(".stfolder", (string)folder["markerName"]!);
        Assert.Equal(
            new[] { laptop.DeviceId, devbox.DeviceId }.Order(DeviceIdOrder.Instance),
            folder["devices"]!.AsArray().Select(d => DeviceId.Parse((string)d!["deviceID"]!)).Order(DeviceIdOrder.Instance));

        var options = config["options"]!;
        Assert.Equal([laptop.ListenAddress], options["listenAddresses"]!.AsArray().Select(a => (string)a!));
        Assert.False((bool)options["globalAnnounceEnabled"]!);
        Assert.False((bool)options["localAnnounceEnabled"]!);
        Assert.False((bool)options["relaysEnabled"]!);
        Assert.False((bool)options["natEnabled"]!);
        Assert.False((bool)options["crashReportingEnabled"]!);
        Assert.False((bool)options["startBrowser"]!);
        Assert.Equal(-1, (int)options["urAccepted"]!);
        Assert.Equal(0, (int)options["autoUpgradeIntervalH"]!);
        Assert.Equal(laptop.GuiAddress, (string)config["gui"]!["address"]!);

        await Wait.UntilAsync(
            "laptop and devbox SyncThings to connect over 127.0.0.1",
            async ct => await ConnectedOverLoopback(laptopSt, devbox.DeviceId, ct) && await ConnectedOverLoopback(devboxSt, laptop.DeviceId, ct),
            TimeSpan.FromMilliseconds(250),
            TimeSpan.FromSeconds(60),
            async () => laptopSt.Describe("laptop") + "\n" + devboxSt.Describe("devbox") + "\n" +
                        (await GetJson(laptopSt, "rest/system/connections")).ToJsonString());

        // Nothing but our TCP listener is running: no discovery, relay or QUIC/NAT listeners.
        var status = await GetJson(laptopSt, "rest/system/status");
        Assert.NotEqual(true, (bool?)status["discoveryEnabled"]); // 1.19 reports it only when discovery runs
        Assert.Equal([laptop.ListenAddress], status["connectionServiceStatus"]!.AsObject().Select(p => p.Key));

        // Starting must not have made SyncThing migrate or rewrite the file we wrote.
        Assert.Equal(configBefore, File.ReadAllText(laptop.ConfigPath));
    }

    private static void Share(SyncthingTestHome self, SyncthingTestHome peer, string path) =>
        self.EditConfig(config =>
        {
            config.UpsertDevice(peer.AsPeer());
            config.UpsertFolder(new FolderConfig("src", path)
            {
                Label = "Source",
                FsWatcherDelayS = 1,
                RescanIntervalS = 600,
                MaxConflicts = 7,
                Devices = [self.DeviceId, peer.DeviceId],
            });
        });

    private static async Task<bool> ConnectedOverLoopback(SyncthingProcess st, DeviceId peer, CancellationToken ct)
    {
        var connections = await GetJson(st, "rest/system/connections", ct);
        var entry = connections["connections"]?[peer.ToString()];
        return entry is not null && (bool)entry["connected"]! &&
               ((string?)entry["address"] ?? string.Empty).StartsWith("127.0.0.1:", StringComparison.Ordinal);
    }

    private static async Task<JsonNode> GetJson(SyncthingProcess st, string path, CancellationToken ct = default)
    {
        var text = await st.Client.GetStringAsync(new Uri(path, UriKind.Relative), ct);
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"{path} returned null");
    }

    private sealed class DeviceIdOrder : IComparer<DeviceId>
    {
        public static readonly DeviceIdOrder Instance = new();

        public int Compare(DeviceId x, DeviceId y) => string.CompareOrdinal(x.ToString(), y.ToString());
    }
}
