using Xunit;
using Thopter.Shared.IO;

namespace Thopter.Tests.Shared.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void New_file_gets_the_requested_mode_and_content()
    {
        var path = dir.Combine("sub", "secret.json");

        var changed = AtomicFile.WriteText(path, "{}", AtomicFile.PrivateMode);

        Assert.True(changed);
        Assert.Equal("{}", File.ReadAllText(path));
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(path));
        Assert.False(File.Exists(AtomicFile.BackupPathOf(path)));
    }

    [Fact]
    public void Identical_content_is_left_untouched()
    {
        var path = dir.Combine("a.txt");
        AtomicFile.WriteText(path, "same", AtomicFile.PrivateMode);
        var before = File.GetLastWriteTimeUtc(path);
        var inode = Inode(path);
        Thread.Sleep(20);

        var changed = AtomicFile.WriteText(path, "same", AtomicFile.PrivateMode);

        Assert.False(changed);
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
        Assert.Equal(inode, Inode(path));
        Assert.False(File.Exists(AtomicFile.BackupPathOf(path)));
    }

    [Fact]
    public void Identical_content_with_a_wrong_mode_gets_its_mode_fixed()
    {
        var path = dir.Combine("a.txt");
        File.WriteAllText(path, "same");
        File.SetUnixFileMode(path, AtomicFile.PublicMode);

        AtomicFile.WriteText(path, "same", AtomicFile.PrivateMode);

        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Backup_keeps_the_old_bytes_and_the_old_mode()
    {
        var path = dir.Combine("a.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, AtomicFile.PrivateMode);

        var changed = AtomicFile.WriteText(path, "new", AtomicFile.PublicMode);

        Assert.True(changed);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(AtomicFile.PublicMode, File.GetUnixFileMode(path));
        var backup = AtomicFile.BackupPathOf(path);
        Assert.Equal("old", File.ReadAllText(backup));
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(backup));
    }

    [Fact]
    public void No_backup_when_asked_not_to_keep_one()
    {
        var path = dir.Combine("a.txt");
        File.WriteAllText(path, "old");

        AtomicFile.WriteText(path, "new", AtomicFile.PrivateMode, keepBackup: false);

        Assert.False(File.Exists(AtomicFile.BackupPathOf(path)));
    }

    [Fact]
    public void Temp_file_is_never_left_behind_even_when_the_rename_fails()
    {
        var path = dir.Combine("target");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside"), "x");

        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteText(path, "data", AtomicFile.PrivateMode, keepBackup: false));

        Assert.Equal(["target"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Successful_writes_leave_only_the_file_and_its_backup()
    {
        var path = dir.Combine("a.txt");
        AtomicFile.WriteText(path, "1", AtomicFile.PrivateMode);
        AtomicFile.WriteText(path, "2", AtomicFile.PrivateMode);
        AtomicFile.WriteText(path, "3", AtomicFile.PrivateMode);

        Assert.Equal(["a.txt", "a.txt.bak"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal("2", File.ReadAllText(AtomicFile.BackupPathOf(path)));
    }

    private static long Inode(string path)
    {
        var result = new Thopter.Shared.Processes.ProcessRunner()
            .RunAsync(new("stat", ["-c", "%i", path])).GetAwaiter().GetResult();
        return long.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
