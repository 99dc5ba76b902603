using Thopter.Shared.Config;
using Xunit;

namespace Thopter.Tests.Shared.Config;

/// <summary>
/// config.xml as SyncThing 2.x and 1.29 write it (lib/config at v2.1.3 and v1.29.5): version 51/52, fractional
/// fsWatcherDelayS (a float since 1.29.0, written as "0.5" when set so over REST), pullerDelayS, maxConcurrentWrites 16.
/// </summary>
public sealed class SyncthingV2ConfigTests
{
    /// <summary>The shape v2.1.3 saves (trimmed to what matters here; element order as its struct tags give it).</summary>
    private const string WrittenBy2x = """
        <configuration version="52">
            <folder id="code" label="code" path="/home/dev/code" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="true" fsWatcherDelayS="0.5" fsWatcherTimeoutS="0" ignorePerms="false" autoNormalize="true">
                <filesystemType>basic</filesystemType>
                <device id="AIR6LPZ-7K4PTTV-UXQSMUU-CPQ5YWH-OEDFIIQ-JUG777G-2YQXXR5-YD6AWQR" introducedBy="">
                    <encryptionPassword></encryptionPassword>
                </device>
                <minDiskFree unit="%">1</minDiskFree>
                <maxConflicts>10</maxConflicts>
                <paused>false</paused>
                <maxConcurrentWrites>16</maxConcurrentWrites>
                <pullerDelayS>1</pullerDelayS>
            </folder>
            <device id="AIR6LPZ-7K4PTTV-UXQSMUU-CPQ5YWH-OEDFIIQ-JUG777G-2YQXXR5-YD6AWQR" name="devbox" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
                <address>dynamic</address>
            </device>
            <gui enabled="true" tls="false" sendBasicAuthPrompt="false">
                <address>127.0.0.1:8384</address>
                <apikey>abcdefghijklmnopqrstuvwxyz012345</apikey>
            </gui>
            <options>
                <listenAddress>default</listenAddress>
            </options>
        </configuration>
        """;

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("0.05", 0.05)]
    [InlineData("0.01", 0.01)]
    [InlineData("1", 1.0)]
    [InlineData("10", 10.0)]
    [InlineData("1.5e-1", 0.15)]
    public void Fractional_watcher_delays_read_as_numbers(string raw, double expected)
    {
        var config = SyncthingConfigDocument.Parse(WrittenBy2x.Replace("fsWatcherDelayS=\"0.5\"", $"fsWatcherDelayS=\"{raw}\"", StringComparison.Ordinal));

        Assert.Equal(expected, config.Folders.Single().FsWatcherDelayS);
    }

    [Fact]
    public void A_2x_document_reads_and_round_trips_its_fractional_delay_unchanged()
    {
        var config = SyncthingConfigDocument.Parse(WrittenBy2x);
        var folder = config.Folders.Single();

        Assert.Equal(52, config.Version);
        Assert.Equal(0.5, folder.FsWatcherDelayS);
        Assert.Equal(1, folder.PullerDelayS);

        config.UpsertFolder(folder);
        var again = SyncthingConfigDocument.Parse(config.ToXml());
        Assert.Contains("fsWatcherDelayS=\"0.5\"", config.ToXml(), StringComparison.Ordinal);
        Assert.Equal(folder, again.Folders.Single());
        Assert.Contains("<maxConcurrentWrites>16</maxConcurrentWrites>", config.ToXml(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_watcher_delay_that_is_no_number_is_refused_with_its_element()
    {
        var config = SyncthingConfigDocument.Parse(WrittenBy2x.Replace("fsWatcherDelayS=\"0.5\"", "fsWatcherDelayS=\"half\"", StringComparison.Ordinal));

        var error = Assert.Throws<ConfigXmlException>(() => config.Folders);

        Assert.Contains("<folder> fsWatcherDelayS is \"half\", expected a number", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConfigVersion.V1_19, "2")]
    [InlineData(37, "2")]
    [InlineData(51, "16")]
    [InlineData(52, "16")]
    public void New_folders_get_the_writing_versions_maxConcurrentWrites(int version, string expected)
    {
        var config = SyncthingConfigDocument.CreateNew(version);

        config.UpsertFolder(new FolderConfig("f", "/f"));

        Assert.Contains($"<maxConcurrentWrites>{expected}</maxConcurrentWrites>", config.ToXml(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v2.0.15", 51)]
    [InlineData("v2.0.16", 52)]
    [InlineData("v2.1.3", 52)]
    [InlineData("v1.29.5", 37)]
    [InlineData("syncthing v2.1.3 \"Hafnium Hornet\" (go1.25.1 linux-amd64) builder@github.syncthing.net 2025-10-01 00:00:00 UTC", 52)]
    public void Config_versions_of_2x_and_1_29(string release, int expected) => Assert.Equal(expected, ConfigVersion.For(release));
}
