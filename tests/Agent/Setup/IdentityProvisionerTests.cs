using Thopter.Agent.Setup;
using Thopter.Shared.Identity;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

public sealed class IdentityProvisionerTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly SetupPaths paths;
    private readonly IdentityProvisioner provisioner;

    public IdentityProvisionerTests()
    {
        paths = new SetupPaths(temp.Path, temp.Combine("st"));
        Directory.CreateDirectory(paths.SyncthingHome);
        provisioner = ProvisionerOn("p-1");
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Creates_a_missing_identity_and_records_the_instance()
    {
        var outcome = provisioner.Ensure("i-1");

        Assert.Equal(IdentityAction.Created, outcome.Action);
        Assert.Equal(SyncthingIdentity.Load(paths.SyncthingHome).DeviceId, outcome.DeviceId);
        Assert.Equal("i-1\np-1\n", File.ReadAllText(paths.InstanceRecord));
    }

    [Fact]
    public void Keeps_the_identity_on_the_same_instance()
    {
        var first = provisioner.Ensure("i-1");
        var again = provisioner.Ensure("i-1");

        Assert.Equal(IdentityAction.Kept, again.Action);
        Assert.Equal(first.DeviceId, again.DeviceId);
        Assert.False(again.Changed);
    }

    [Fact]
    public void Regenerates_on_another_instance_and_backs_up_the_old_key_privately()
    {
        var original = provisioner.Ensure("i-1");
        var oldKey = File.ReadAllText(Path.Combine(paths.SyncthingHome, "key.pem"));

        var clone = provisioner.Ensure("i-2");

        Assert.Equal(IdentityAction.Regenerated, clone.Action);
        Assert.NotEqual(original.DeviceId, clone.DeviceId);
        Assert.Contains("i-1", clone.Reason, StringComparison.Ordinal);
        var keyBackup = Assert.Single(clone.Backups, b => b.Contains("key.pem.clone-20261122T010203Z", StringComparison.Ordinal));
        Assert.Equal(oldKey, File.ReadAllText(keyBackup));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyBackup));
        Assert.Equal("i-2\np-1\n", File.ReadAllText(paths.InstanceRecord));
        Assert.Equal(IdentityAction.Kept, provisioner.Ensure("i-2").Action);
    }

    [Fact]
    public void Adopts_an_identity_without_a_record()
    {
        var existing = SyncthingIdentity.Generate(paths.SyncthingHome);

        var outcome = provisioner.Ensure("i-9");

        Assert.Equal(IdentityAction.Kept, outcome.Action);
        Assert.Equal(existing.DeviceId, outcome.DeviceId);
        Assert.Contains("adopted", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("i-9\np-1\n", File.ReadAllText(paths.InstanceRecord));
    }

    [Fact]
    public void Replaces_an_unreadable_identity_after_backing_it_up()
    {
        provisioner.Ensure("i-1");
        File.WriteAllText(Path.Combine(paths.SyncthingHome, "cert.pem"), "garbage");

        var outcome = provisioner.Ensure("i-1");

        Assert.Equal(IdentityAction.Regenerated, outcome.Action);
        Assert.Equal(2, outcome.Backups.Count);
        Assert.Equal(outcome.DeviceId, SyncthingIdentity.Load(paths.SyncthingHome).DeviceId);
    }

    [Fact]
    public void Set_aside_identity_comes_back_on_the_same_instance_only()
    {
        var original = provisioner.Ensure("i-1");
        var key = File.ReadAllText(Path.Combine(paths.SyncthingHome, "key.pem"));

        var setAside = provisioner.SetAside();

        Assert.Equal(2, setAside.Count);
        Assert.All(setAside, path => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path)));
        Assert.False(SyncthingIdentity.Exists(paths.SyncthingHome));
        Assert.Null(provisioner.ReadRecord());

        var clone = ProvisionerOn("p-2").Ensure("i-2");
        Assert.Equal(IdentityAction.Created, clone.Action);
        Assert.NotEqual(original.DeviceId, clone.DeviceId);

        File.Delete(Path.Combine(paths.SyncthingHome, "cert.pem"));
        File.Delete(Path.Combine(paths.SyncthingHome, "key.pem"));
        var back = provisioner.Ensure("i-1");
        Assert.Equal(IdentityAction.Restored, back.Action);
        Assert.Equal(original.DeviceId, back.DeviceId);
        Assert.Equal(key, File.ReadAllText(Path.Combine(paths.SyncthingHome, "key.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(paths.SyncthingHome, "key.pem")));
        Assert.All(setAside, path => Assert.False(File.Exists(path)));
    }

    [Fact]
    public void Guard_keeps_the_identity_on_its_platform_even_with_an_explicit_instance()
    {
        var first = provisioner.Ensure("cloud-instance-7");

        var guarded = provisioner.Guard();

        Assert.Equal(IdentityAction.Kept, guarded.Action);
        Assert.Equal(first.DeviceId, guarded.DeviceId);
    }

    [Fact]
    public void Guard_on_another_platform_regenerates_and_rotates_the_api_key_and_https_pair()
    {
        var original = provisioner.Ensure("p-1");
        var config = Thopter.Shared.Config.SyncthingConfigDocument.CreateNew(36);
        config.UpsertDevice(new Thopter.Shared.Config.DeviceConfig(original.DeviceId, "original"));
        config.UpsertFolder(new Thopter.Shared.Config.FolderConfig("code", "/home/dev/code") { Devices = [original.DeviceId] });
        config.Gui = new Thopter.Shared.Config.GuiConfig("127.0.0.1:8384", "goldenimagekey0123456789abcdefgh");
        File.WriteAllText(paths.ConfigPath, config.ToXml());
        File.WriteAllText(Path.Combine(paths.SyncthingHome, "https-key.pem"), "golden");
        File.WriteAllText(Path.Combine(paths.SyncthingHome, "https-cert.pem"), "golden");

        var clone = ProvisionerOn("p-2").Guard();

        Assert.Equal(IdentityAction.Regenerated, clone.Action);
        Assert.NotEqual(original.DeviceId, clone.DeviceId);
        var after = Thopter.Shared.Config.SyncthingConfigDocument.Load(paths.ConfigPath);
        Assert.NotEqual("goldenimagekey0123456789abcdefgh", after.Gui!.ApiKey);
        Assert.DoesNotContain(after.Devices, d => d.Id == original.DeviceId);
        Assert.Equal([clone.DeviceId], after.Folders.Single().Devices);
        Assert.False(File.Exists(Path.Combine(paths.SyncthingHome, "https-key.pem")));
        Assert.False(File.Exists(Path.Combine(paths.SyncthingHome, "https-cert.pem")));
        Assert.Equal(IdentityAction.Kept, ProvisionerOn("p-2").Guard().Action);
    }

    private IdentityProvisioner ProvisionerOn(string platform) =>
        new(paths, new FixedTime(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero)), platform);
}
