using Xunit;
using Thopter.Agent.Acceleration;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Tests.Shared.Identity;

namespace Thopter.Tests.Agent.Acceleration;

public sealed class AcceleratorTargetsTests : IDisposable
{
    private static readonly DeviceId Self = DeviceId.FromBytes(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly DeviceId Laptop = DeviceId.FromBytes(Enumerable.Repeat((byte)2, 32).ToArray());

    private readonly string home = Directory.CreateTempSubdirectory("thopter-targets-").FullName;

    [Fact]
    public void Folders_shared_with_a_peer_are_targets_and_others_are_not()
    {
        var config = Config();
        config.UpsertFolder(new FolderConfig("code", "/home/dev/code") { Devices = [Self, Laptop] });
        config.UpsertFolder(new FolderConfig("alone", "/home/dev/alone") { Devices = [Self] });
        config.UpsertFolder(new FolderConfig("paused", "/home/dev/paused") { Devices = [Self, Laptop], Paused = true });
        config.UpsertFolder(new FolderConfig("notes", "~/notes") { Devices = [Self, Laptop] });

        var (targets, problem) = AcceleratorTargets.From(config, Self, "/home/dev");

        Assert.Null(problem);
        Assert.Equal("127.0.0.1:8384", targets!.GuiAddress);
        Assert.Equal("k3yk3yk3yk3yk3yk3y", targets.ApiKey);
        Assert.Equal([new AcceleratedFolder("code", "/home/dev/code"), new AcceleratedFolder("notes", "/home/dev/notes")], targets.Folders);
        Assert.DoesNotContain(targets.ApiKey, targets.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_api_key_or_no_shared_folder_is_a_named_problem()
    {
        var noGui = SyncthingConfigDocument.CreateNew(ConfigVersion.V1_19);
        Assert.Contains("API key", AcceleratorTargets.From(noGui, Self, home).Problem, StringComparison.Ordinal);

        var noFolder = Config();
        noFolder.UpsertFolder(new FolderConfig("alone", "/home/dev/alone") { Devices = [Self] });
        Assert.Contains("shares no", AcceleratorTargets.From(noFolder, Self, home).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_source_reports_missing_and_corrupt_files_without_throwing()
    {
        var source = new AcceleratorConfigSource(home, home);
        Assert.Contains("does not exist", source.Read().Problem, StringComparison.Ordinal);

        File.WriteAllText(source.ConfigPath, "<configuration");
        Assert.Contains("not readable", source.Read().Problem, StringComparison.Ordinal);

        var config = Config();
        config.UpsertFolder(new FolderConfig("code", Path.Combine(home, "code")) { Devices = [Self, Laptop] });
        config.Save(source.ConfigPath);
        Assert.Equal("code", Assert.Single(source.Read().Targets!.Folders).Id);
    }

    /// <summary>A home SyncThing 2.x / 1.29 wrote: Ed25519 identity, fractional watcher delay. Neither stops the accelerator.</summary>
    [Fact]
    public void Config_source_reads_a_2x_home_and_reports_bad_values_without_throwing()
    {
        SyncthingV2Home.WriteFixed(home);
        var self = DeviceId.Parse(SyncthingV2Home.FixedDeviceId);
        var config = SyncthingConfigDocument.CreateNew(52);
        config.UpsertDevice(new DeviceConfig(self, "devbox"));
        config.UpsertDevice(new DeviceConfig(Laptop, "laptop"));
        config.Gui = new GuiConfig("127.0.0.1:8384", "k3yk3yk3yk3yk3yk3y");
        config.UpsertFolder(new FolderConfig("code", Path.Combine(home, "code")) { Devices = [self, Laptop], FsWatcherDelayS = 0.5 });
        config.UpsertFolder(new FolderConfig("alone", Path.Combine(home, "alone")) { Devices = [self], FsWatcherDelayS = 0.05 });
        var source = new AcceleratorConfigSource(home, home);
        config.Save(source.ConfigPath);

        Assert.Equal("code", Assert.Single(source.Read().Targets!.Folders).Id);

        File.WriteAllText(source.ConfigPath, File.ReadAllText(source.ConfigPath).Replace("fsWatcherDelayS=\"0.5\"", "fsWatcherDelayS=\"half\"", StringComparison.Ordinal));
        var (targets, problem) = source.Read();
        Assert.Null(targets);
        Assert.Contains("fsWatcherDelayS is \"half\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_compare_by_what_would_run()
    {
        var a = new AcceleratorTargets("127.0.0.1:8384", "key1key1key1key1", [new AcceleratedFolder("code", "/c")]);

        Assert.Equal(a, a with { Folders = [new AcceleratedFolder("code", "/c")] });
        Assert.NotEqual(a, a with { ApiKey = "key2key2key2key2" });
        Assert.NotEqual(a, a with { Folders = [new AcceleratedFolder("code", "/d")] });
    }

    internal static SyncthingConfigDocument Config(string guiAddress = "127.0.0.1:8384", string apiKey = "k3yk3yk3yk3yk3yk3y")
    {
        var config = SyncthingConfigDocument.CreateNew(ConfigVersion.V1_19);
        config.UpsertDevice(new DeviceConfig(Self, "devbox"));
        config.UpsertDevice(new DeviceConfig(Laptop, "laptop"));
        config.Gui = new GuiConfig(guiAddress, apiKey);
        return config;
    }

    internal static DeviceId LaptopId => Laptop;

    internal static DeviceId SelfId => Self;

    public void Dispose() => Directory.Delete(home, recursive: true);
}
