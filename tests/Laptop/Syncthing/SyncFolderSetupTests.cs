using Thopter.Laptop.Syncthing;
using Thopter.Shared.Ignore;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Syncthing;

public sealed class SyncFolderSetupTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_users_stignore_keeps_its_exact_bytes_and_mode_and_is_backed_up_where_nothing_syncs()
    {
        var folder = temp.Combine("code");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, StIgnore.FileName);
        byte[] user = [.. "big-"u8, 0xFF, 0xFE, .. "data\r\n!node_modules\r\n"u8];
        File.WriteAllBytes(path, user);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal(SetupChange.Updated, SyncFolderSetup.EnsureIgnoreFile(folder));

        var written = File.ReadAllBytes(path);
        Assert.Equal(user, written[..user.Length]);
        Assert.Equal(StIgnore.MergeBytes(user), written);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(user, File.ReadAllBytes(StIgnore.BackupPathIn(folder)));
        Assert.Equal([StIgnore.FolderMarker, StIgnore.FileName], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(SetupChange.Unchanged, SyncFolderSetup.EnsureIgnoreFile(folder));
    }
}
