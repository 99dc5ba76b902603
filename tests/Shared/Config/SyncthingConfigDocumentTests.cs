using System.Xml.Linq;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Xunit;

namespace Thopter.Tests.Shared.Config;

public sealed class SyncthingConfigDocumentTests : IDisposable
{
    private static readonly DeviceId Local = DeviceId.Parse("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2");
    private static readonly DeviceId Peer = DeviceId.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly DeviceId Third = DeviceId.FromBytes(Enumerable.Repeat((byte)0xAB, 32).ToArray());

    // A user's config (shape of SyncThing 1.19's own) with settings and extensions we do not model.
    private static readonly string UserConfig = $"""
        <configuration version="36" futureAttribute="kept">
            <!-- the user's comment -->
            <folder id="photos" label="Photos" path="/home/u/Photos" type="sendonly" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="10" ignorePerms="false" autoNormalize="true">
                <filesystemType>basic</filesystemType>
                <device id="{Local.ToString().ToLowerInvariant()}" introducedBy=""><encryptionPassword></encryptionPassword></device>
                <device id="{Peer}" introducedBy=""><encryptionPassword>s3cret</encryptionPassword></device>
                <versioning type="simple"><param key="keep" val="5"></param></versioning>
                <maxConflicts>10</maxConflicts>
                <paused>false</paused>
                <markerName>.stfolder</markerName>
            </folder>
            <device id="{Local}" name="me" compression="metadata" introducer="false">
                <address>dynamic</address>
                <paused>false</paused>
                <maxSendKbps>100</maxSendKbps>
            </device>
            <device id="{Peer}" name="peer" compression="always" introducer="false">
                <address>tcp://10.0.0.2:22000</address>
                <address>quic://10.0.0.2:22000</address>
                <allowedNetwork>10.0.0.0/8</allowedNetwork>
            </device>
            <gui enabled="true" tls="false" debugging="true">
                <address>127.0.0.1:8384</address>
                <user>alice</user>
                <password>$2a$10$hash</password>
                <apikey>oldkey</apikey>
                <theme>dark</theme>
            </gui>
            <ldap></ldap>
            <options>
                <listenAddress>default</listenAddress>
                <globalAnnounceServer>https://disco.example:8443</globalAnnounceServer>
                <globalAnnounceEnabled>true</globalAnnounceEnabled>
                <maxSendKbps>42</maxSendKbps>
                <urAccepted>3</urAccepted>
            </options>
            <defaults><device id="" compression="metadata"></device></defaults>
            <someFutureSection x="1"><child>v</child></someFutureSection>
        </configuration>
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("thopter-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Reads_the_modeled_values()
    {
        var config = SyncthingConfigDocument.Parse(UserConfig);

        Assert.Equal(36, config.Version);
        Assert.Equal([Local, Peer], config.Devices.Select(d => d.Id));
        var peer = config.Devices[1];
        Assert.Equal("peer", peer.Name);
        Assert.Equal("always", peer.Compression);
        Assert.Equal(["tcp://10.0.0.2:22000", "quic://10.0.0.2:22000"], peer.Addresses);
        var folder = Assert.Single(config.Folders);
        Assert.Equal(("photos", "Photos", "/home/u/Photos", "sendonly"), (folder.Id, folder.Label, folder.Path, folder.Type));
        Assert.Equal([Local, Peer], folder.Devices);
        Assert.Equal(new GuiConfig("127.0.0.1:8384", "oldkey") { User = "alice", Password = "$2a$10$hash" }, config.Gui);
        Assert.Equal(["default"], config.Options.ListenAddresses);
        Assert.Equal(3, config.Options.UrAccepted);
        Assert.True(config.Options.RelaysEnabled); // absent: SyncThing's default
    }

    [Fact]
    public void Rewriting_keeps_everything_we_do_not_model()
    {
        var config = SyncthingConfigDocument.Parse(UserConfig);
        config.UpsertDevice(new DeviceConfig(Peer, "peer renamed") { Addresses = ["tcp://127.0.0.1:22001"] });
        config.UpsertFolder(config.Folders[0] with { Label = "Pics", Devices = [Local, Peer, Third] });
        config.Gui = new GuiConfig("127.0.0.1:9999", "newkey");
        config.Options = OptionsConfig.LoopbackOnly(22001);

        var xml = XDocument.Parse(config.ToXml()).Root!;

        Assert.Equal("kept", (string?)xml.Attribute("futureAttribute"));
        Assert.Contains(xml.Nodes().OfType<XComment>(), c => c.Value == " the user's comment ");
        Assert.Equal("v", xml.Element("someFutureSection")?.Element("child")?.Value);
        Assert.NotNull(xml.Element("defaults")?.Element("device"));
        var folder = xml.Element("folder")!;
        Assert.Equal("5", folder.Element("versioning")?.Element("param")?.Attribute("val")?.Value);
        Assert.Equal("s3cret", folder.Elements("device").Single(d => DeviceId.Parse((string)d.Attribute("id")!) == Peer).Element("encryptionPassword")?.Value);
        Assert.Equal(3, folder.Elements("device").Count());
        var peer = xml.Elements("device").Single(d => (string?)d.Attribute("name") == "peer renamed");
        Assert.Equal("10.0.0.0/8", peer.Element("allowedNetwork")?.Value);
        Assert.Equal(["tcp://127.0.0.1:22001"], peer.Elements("address").Select(a => a.Value));
        Assert.Equal("100", xml.Elements("device").First().Element("maxSendKbps")?.Value);
        var gui = xml.Element("gui")!;
        Assert.Equal(("alice", "$2a$10$hash", "dark", "true"), (gui.Element("user")?.Value, gui.Element("password")?.Value, gui.Element("theme")?.Value, (string?)gui.Attribute("debugging")));
        Assert.Equal("newkey", gui.Element("apikey")?.Value);
        var options = xml.Element("options")!;
        Assert.Equal("https://disco.example:8443", options.Element("globalAnnounceServer")?.Value);
        Assert.Equal("42", options.Element("maxSendKbps")?.Value);
        Assert.Equal(["tcp://127.0.0.1:22001"], options.Elements("listenAddress").Select(a => a.Value));
        Assert.Equal("false", options.Element("globalAnnounceEnabled")?.Value);
    }

    [Fact]
    public void Model_round_trips_and_output_is_deterministic()
    {
        var config = SyncthingConfigDocument.Parse(UserConfig);
        config.UpsertDevice(new DeviceConfig(Third, "third") { Introducer = true, Paused = true, AutoAcceptFolders = true });
        var folder = new FolderConfig("src", "/work/src")
        {
            Label = "src",
            Type = "receiveonly",
            FsWatcherEnabled = false,
            FsWatcherDelayS = 1,
            RescanIntervalS = 60,
            MaxConflicts = -1,
            IgnorePerms = true,
            Paused = true,
            Devices = [Third, Local],
        };
        config.UpsertFolder(folder);
        var options = OptionsConfig.LoopbackOnly(1234);
        config.Options = options;
        var xml = config.ToXml();

        var reread = SyncthingConfigDocument.Parse(xml);

        Assert.Equal(config.Devices, reread.Devices);
        Assert.Equal(folder, reread.Folders.Single(f => f.Id == "src"));
        Assert.Equal(options, reread.Options);
        Assert.Equal(xml, reread.ToXml());
        Assert.Equal(xml, SyncthingConfigDocument.Parse(UserConfig).Also(c =>
        {
            c.UpsertDevice(new DeviceConfig(Third, "third") { Introducer = true, Paused = true, AutoAcceptFolders = true });
            c.UpsertFolder(folder);
            c.Options = options;
        }).ToXml());
    }

    [Fact]
    public void Upserting_the_same_values_twice_changes_nothing()
    {
        var config = SyncthingConfigDocument.CreateNew(ConfigVersion.V1_19);
        void Apply()
        {
            config.UpsertDevice(new DeviceConfig(Local, "me"));
            config.UpsertDevice(new DeviceConfig(Peer, "peer") { Addresses = ["tcp://127.0.0.1:1"] });
            config.UpsertFolder(new FolderConfig("f", "/f") { Devices = [Local, Peer] });
            config.Gui = new GuiConfig("127.0.0.1:2", "k");
            config.Options = OptionsConfig.LoopbackOnly(1);
        }

        Apply();
        var once = config.ToXml();
        Apply();

        Assert.Equal(once, config.ToXml());
        Assert.StartsWith("<configuration version=\"36\">\n    <folder id=\"f\"", once, StringComparison.Ordinal);
        Assert.EndsWith("</configuration>\n", once, StringComparison.Ordinal);
    }

    [Fact]
    public void New_folders_carry_syncthings_defaults_for_values_we_do_not_model()
    {
        var config = SyncthingConfigDocument.CreateNew(36);
        config.UpsertFolder(new FolderConfig("f", "/f"));

        var folder = XDocument.Parse(config.ToXml()).Root!.Element("folder")!;

        Assert.Equal(".stfolder", folder.Element("markerName")?.Value);
        Assert.Equal("10", folder.Element("maxConflicts")?.Value);
        Assert.Equal("2", folder.Element("maxConcurrentWrites")?.Value);
        Assert.Equal("25", folder.Element("weakHashThresholdPct")?.Value);
    }

    [Fact]
    public void Removing_a_device_also_unshares_it()
    {
        var config = SyncthingConfigDocument.Parse(UserConfig);

        Assert.True(config.RemoveDevice(Peer));
        Assert.False(config.RemoveDevice(Peer));

        Assert.Equal([Local], config.Devices.Select(d => d.Id));
        Assert.Equal([Local], config.Folders.Single().Devices);
        Assert.True(config.RemoveFolder("photos"));
        Assert.False(config.RemoveFolder("photos"));
        Assert.Empty(config.Folders);
    }

    [Theory]
    [InlineData("<configuration version=\"36\"><folder></configuration>", "not well-formed XML")]
    [InlineData("", "not well-formed XML")]
    [InlineData("<config version=\"36\"/>", "has root <config>, expected <configuration>")]
    [InlineData("<configuration version=\"abc\"/>", "version is \"abc\", expected a whole number")]
    public void Malformed_config_is_rejected(string xml, string expected)
    {
        var error = Assert.Throws<ConfigXmlException>(() => SyncthingConfigDocument.Parse(xml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_values_are_reported_with_their_element()
    {
        var config = SyncthingConfigDocument.Parse("<configuration version=\"36\"><device id=\"nope\"/><options><relaysEnabled>maybe</relaysEnabled></options></configuration>");

        Assert.Contains("<device> id=\"nope\": device ID has wrong length", Assert.Throws<ConfigXmlException>(() => config.Devices).Message, StringComparison.Ordinal);
        Assert.Contains("relaysEnabled is \"maybe\", expected true or false", Assert.Throws<ConfigXmlException>(() => config.Options).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_file_on_disk_is_reported_and_left_untouched()
    {
        var path = Path.Combine(_dir.FullName, "config.xml");
        const string corrupt = "<configuration version=\"36\">\n    <device id=\"x\"\n";
        File.WriteAllText(path, corrupt);
        var before = File.GetLastWriteTimeUtc(path);

        var error = Assert.Throws<ConfigXmlException>(() => SyncthingConfigDocument.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(corrupt, File.ReadAllText(path));
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
        Assert.Equal(["config.xml"], _dir.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void Save_is_private_and_idempotent()
    {
        var path = Path.Combine(_dir.FullName, "config.xml");
        var config = SyncthingConfigDocument.CreateNew(36);
        config.Gui = new GuiConfig("127.0.0.1:1", "secret-key");

        Assert.True(config.Save(path));
        Assert.False(config.Save(path));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(config.ToXml(), File.ReadAllText(path));
    }

    [Fact]
    public void Gui_never_prints_its_api_key()
    {
        var gui = new GuiConfig("127.0.0.1:1", "secret-key");

        Assert.DoesNotContain("secret-key", gui.ToString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", gui.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1.19.2", 36)]
    [InlineData("1.19.0", 35)]
    [InlineData("v1.19.1", 36)]
    [InlineData("v1.22.0", 37)]
    [InlineData("v1.30.0", 37)]
    [InlineData("v2.0.0", 51)]
    [InlineData("v2.0.0-rc.1", 51)]
    [InlineData("v2.0.16", 52)]
    [InlineData("v2.1.0", 52)]
    [InlineData("v1.0.0", 28)]
    [InlineData("syncthing v1.19.2-ds1 \"Fermium Flea\" (go1.19.8 linux-amd64) debian@debian 2023-04-09 10:47:16 UTC", 36)]
    public void Config_version_matches_the_release(string release, int expected)
    {
        Assert.Equal(expected, ConfigVersion.For(release));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v3.0.0")]
    [InlineData("v0.14.52")]
    public void Unknown_releases_are_refused(string release)
    {
        Assert.Throws<ArgumentException>(() => ConfigVersion.For(release));
    }
}

internal static class ConfigTestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
