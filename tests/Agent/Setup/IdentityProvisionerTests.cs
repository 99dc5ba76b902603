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
        provisioner = new IdentityProvisioner(paths, new FixedTime(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero)));
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Creates_a_missing_identity_and_records_the_instance()
    {
        var outcome = provisioner.Ensure("i-1");

        Assert.Equal(IdentityAction.Created, outcome.Action);
        Assert.Equal(SyncthingIdentity.Load(paths.SyncthingHome).DeviceId, outcome.DeviceId);
        Assert.Equal("i-1\n", File.ReadAllText(paths.InstanceRecord));
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
        Assert.Equal("i-2\n", File.ReadAllText(paths.InstanceRecord));
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
        Assert.Equal("i-9\n", File.ReadAllText(paths.InstanceRecord));
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
    public void Remove_deletes_identity_and_record_and_reports_them()
    {
        provisioner.Ensure("i-1");

        var removed = provisioner.Remove();

        Assert.Equal(3, removed.Count);
        Assert.False(SyncthingIdentity.Exists(paths.SyncthingHome));
        Assert.Null(provisioner.ReadRecord());
        Assert.Empty(provisioner.Remove());
    }
}
