using Thopter.Agent.Setup;
using Thopter.Shared.Ignore;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

public sealed class FolderProvisionerTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_users_stignore_keeps_its_exact_bytes_and_is_backed_up_inside_the_marker()
    {
        var folder = temp.Combine("code");
        Directory.CreateDirectory(folder);
        byte[] user = [.. "caf"u8, 0xE9, (byte)'\n'];
        File.WriteAllBytes(Path.Combine(folder, StIgnore.FileName), user);

        Assert.True(FolderProvisioner.Ensure(folder));

        var written = File.ReadAllBytes(Path.Combine(folder, StIgnore.FileName));
        Assert.Equal(user, written[..user.Length]);
        Assert.Equal(StIgnore.MergeBytes(user), written);
        Assert.Equal(user, File.ReadAllBytes(StIgnore.BackupPathIn(folder)));
        Assert.StartsWith(Path.Combine(folder, FolderProvisioner.MarkerName) + "/", StIgnore.BackupPathIn(folder), StringComparison.Ordinal);
        Assert.False(FolderProvisioner.Ensure(folder));
    }
}
