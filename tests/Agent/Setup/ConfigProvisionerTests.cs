using Thopter.Agent.Setup;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

public sealed class ConfigProvisionerTests : IDisposable
{
    private static readonly DeviceId Self = DeviceId.FromBytes(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly DeviceId Laptop = DeviceId.FromBytes(Enumerable.Repeat((byte)2, 32).ToArray());
    private static readonly DeviceId Stranger = DeviceId.FromBytes(Enumerable.Repeat((byte)3, 32).ToArray());
    private readonly TempDirectory temp = new();
    private readonly SetupPaths paths;
    private readonly ConfigProvisioner provisioner;

    public ConfigProvisionerTests()
    {
        paths = new SetupPaths(temp.Path, temp.Combine("st"));
        provisioner = new ConfigProvisioner(paths, new FixedTime(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero)));
    }

    public void Dispose() => temp.Dispose();

    private DesiredConfig Desired(bool isolated = true, string gui = "127.0.0.1:8384", int configVersion = ConfigVersion.V1_19) => new(
        Self, "devbox", Laptop, "tcp://127.0.0.1:22001", [new DesiredFolder("code", "code", temp.Combine("code"))],
        "tcp://127.0.0.1:22000", gui, isolated, configVersion);

    [Fact]
    public void The_gui_is_locked_by_a_login_nobody_holds_and_the_lock_survives_reruns()
    {
        provisioner.Ensure(Desired());
        var gui = SyncthingConfigDocument.Load(paths.ConfigPath).Gui!;

        Assert.True(GuiSecrets.IsLocked(gui));
        Assert.Equal(GuiSecrets.LockUser, gui.User);
        Assert.Matches(@"^\$2a\$10\$[./A-Za-z0-9]{53}$", gui.Password);
        Assert.NotEqual(GuiSecrets.NewLockHash(), GuiSecrets.NewLockHash());
        Assert.False(provisioner.Ensure(Desired()).Changed);
        Assert.Equal(gui, SyncthingConfigDocument.Load(paths.ConfigPath).Gui);
    }

    [Fact]
    public void A_login_the_owner_set_is_kept()
    {
        var own = SyncthingConfigDocument.CreateNew(ConfigVersion.V1_19);
        own.Gui = new GuiConfig("127.0.0.1:8384", "ownerskey0123456789") { User = "me", Password = "$2a$10$" + new string('a', 53) };
        Directory.CreateDirectory(paths.SyncthingHome);
        File.WriteAllText(paths.ConfigPath, own.ToXml());

        provisioner.Ensure(Desired());

        var gui = SyncthingConfigDocument.Load(paths.ConfigPath).Gui!;
        Assert.Equal(("me", "$2a$10$" + new string('a', 53), "ownerskey0123456789"), (gui.User, gui.Password, gui.ApiKey));
    }

    [Fact]
    public void PullerDelayS_is_zero_for_syncthing_2_and_absent_for_1()
    {
        provisioner.Ensure(Desired());
        Assert.DoesNotContain("pullerDelayS", File.ReadAllText(paths.ConfigPath), StringComparison.Ordinal);
        Assert.Null(SyncthingConfigDocument.Load(paths.ConfigPath).Folders.Single().PullerDelayS);

        var v2 = ConfigVersion.For("v2.0.3");
        Assert.True(provisioner.Ensure(Desired(configVersion: v2)).Changed);
        Assert.Contains("<pullerDelayS>0</pullerDelayS>", File.ReadAllText(paths.ConfigPath), StringComparison.Ordinal);
        Assert.Equal(0, SyncthingConfigDocument.Load(paths.ConfigPath).Folders.Single().PullerDelayS);
        Assert.False(provisioner.Ensure(Desired(configVersion: v2)).Changed);
    }

    [Fact]
    public void Writes_the_laptop_as_only_peer_the_folder_and_private_settings_with_mode_0600()
    {
        var outcome = provisioner.Ensure(Desired());

        Assert.True(outcome.Changed);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.ConfigPath));
        var config = SyncthingConfigDocument.Load(paths.ConfigPath);
        Assert.Equal(ConfigVersion.V1_19, config.Version);
        Assert.Equal([Self, Laptop], config.Devices.Select(d => d.Id));
        Assert.Equal(["tcp://127.0.0.1:22001"], config.Devices.Single(d => d.Id == Laptop).Addresses);
        var folder = Assert.Single(config.Folders);
        Assert.Equal(("code", temp.Combine("code"), true, 1.0, 3600), (folder.Id, folder.Path, folder.FsWatcherEnabled, folder.FsWatcherDelayS, folder.RescanIntervalS));
        Assert.Equal([Self, Laptop], folder.Devices);
        Assert.Equal("127.0.0.1:8384", config.Gui!.Address);
        Assert.Equal(outcome.ApiKey, config.Gui.ApiKey);
        Assert.Equal(32, outcome.ApiKey.Length);
        var options = config.Options;
        Assert.Equal((-1, false, 0, false), (options.UrAccepted, options.CrashReportingEnabled, options.AutoUpgradeIntervalH, options.StartBrowser));
        Assert.False(options.GlobalAnnounceEnabled || options.LocalAnnounceEnabled || options.RelaysEnabled || options.NatEnabled);
        Assert.DoesNotContain(outcome.ApiKey, outcome.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(52, ConfigVersion.V1_19)]
    [InlineData(52, 51)]
    [InlineData(60, 52)]
    public void A_config_version_newer_than_ours_is_never_written_downward(int onDisk, int ours)
    {
        Directory.CreateDirectory(paths.SyncthingHome);
        File.WriteAllText(paths.ConfigPath, SyncthingConfigDocument.CreateNew(onDisk).ToXml());

        provisioner.Ensure(Desired(configVersion: ours));

        Assert.Equal(onDisk, SyncthingConfigDocument.Load(paths.ConfigPath).Version);
        Assert.False(provisioner.Ensure(Desired(configVersion: ours)).Changed);
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("0.05", 0.05)]
    [InlineData("10", 1.0)]
    [InlineData("0", 1.0)]
    public void A_shorter_fractional_watcher_delay_the_user_set_is_kept(string onDisk, double expected)
    {
        provisioner.Ensure(Desired(configVersion: 52));
        var text = File.ReadAllText(paths.ConfigPath);
        File.WriteAllText(paths.ConfigPath, text.Replace("fsWatcherDelayS=\"1\"", $"fsWatcherDelayS=\"{onDisk}\"", StringComparison.Ordinal));

        provisioner.Ensure(Desired(configVersion: 52));

        Assert.Equal(expected, SyncthingConfigDocument.Load(paths.ConfigPath).Folders.Single().FsWatcherDelayS);
    }

    [Fact]
    public void Second_run_changes_nothing_and_keeps_the_api_key()
    {
        var first = provisioner.Ensure(Desired());
        var bytes = File.ReadAllBytes(paths.ConfigPath);
        var modified = File.GetLastWriteTimeUtc(paths.ConfigPath);

        var second = provisioner.Ensure(Desired());

        Assert.False(second.Changed);
        Assert.Equal(first.ApiKey, second.ApiKey);
        Assert.Equal(bytes, File.ReadAllBytes(paths.ConfigPath));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(paths.ConfigPath));
    }

    [Fact]
    public void A_file_saved_with_other_whitespace_but_the_same_content_is_not_rewritten()
    {
        provisioner.Ensure(Desired());
        var reformatted = File.ReadAllText(paths.ConfigPath).Replace("\n    ", "\n  ", StringComparison.Ordinal);
        File.WriteAllText(paths.ConfigPath, reformatted);

        Assert.False(provisioner.Ensure(Desired()).Changed);
        Assert.Equal(reformatted, File.ReadAllText(paths.ConfigPath));
    }

    [Fact]
    public void Other_peers_are_removed_and_the_users_other_settings_kept()
    {
        var existing = SyncthingConfigDocument.CreateNew(ConfigVersion.V1_19);
        existing.UpsertDevice(new DeviceConfig(Stranger, "old laptop"));
        existing.Options = new OptionsConfig();
        var xml = existing.ToXml().Replace("</options>", "<maxSendKbps>77</maxSendKbps></options>", StringComparison.Ordinal);
        Directory.CreateDirectory(paths.SyncthingHome);
        File.WriteAllText(paths.ConfigPath, xml);

        var outcome = provisioner.Ensure(Desired(isolated: false));

        Assert.True(outcome.Changed);
        var text = File.ReadAllText(paths.ConfigPath);
        Assert.DoesNotContain(Stranger.ToString(), text, StringComparison.Ordinal);
        Assert.Contains("<maxSendKbps>77</maxSendKbps>", text, StringComparison.Ordinal);
        Assert.True(SyncthingConfigDocument.Load(paths.ConfigPath).Options.GlobalAnnounceEnabled);
    }

    [Fact]
    public void A_corrupt_file_is_backed_up_then_rewritten()
    {
        Directory.CreateDirectory(paths.SyncthingHome);
        File.WriteAllText(paths.ConfigPath, "<configuration><dev");

        var outcome = provisioner.Ensure(Desired());

        Assert.True(outcome.Changed);
        Assert.Equal(paths.ConfigPath + ".corrupt-20261122T010203Z", outcome.CorruptBackup);
        Assert.Equal("<configuration><dev", File.ReadAllText(outcome.CorruptBackup!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outcome.CorruptBackup!));
        Assert.Single(SyncthingConfigDocument.Load(paths.ConfigPath).Folders);
    }

    [Fact]
    public void A_changed_gui_address_rewrites_but_keeps_the_key()
    {
        var first = provisioner.Ensure(Desired());
        var second = provisioner.Ensure(Desired(gui: "127.0.0.1:9999"));

        Assert.True(second.Changed);
        Assert.Equal(first.ApiKey, second.ApiKey);
        Assert.Equal("127.0.0.1:9999", SyncthingConfigDocument.Load(paths.ConfigPath).Gui!.Address);
    }
}
