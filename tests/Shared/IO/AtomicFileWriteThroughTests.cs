using Thopter.Shared.IO;
using Xunit;

namespace Thopter.Tests.Shared.IO;

/// <summary>A symlinked file (a dotfiles repo's ~/.thopter.json, a linked config.xml) is written through: the link stays a link.</summary>
public sealed class AtomicFileWriteThroughTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_symlink_stays_a_link_and_its_target_gets_the_content_and_mode()
    {
        var target = dir.Combine("dotfiles", "thopter.json");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, "old");
        var link = dir.Combine("home", ".thopter.json");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, "../dotfiles/thopter.json");

        Assert.True(AtomicFile.WriteText(link, "new", AtomicFile.PrivateMode));

        Assert.Equal("../dotfiles/thopter.json", new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(target));
        Assert.Equal("old", File.ReadAllText(AtomicFile.BackupPathOf(link)));
        Assert.Equal(["thopter.json"], Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!).Select(Path.GetFileName));
    }

    [Fact]
    public void A_chain_of_links_is_followed_to_the_file_at_its_end()
    {
        var target = dir.Combine("real.xml");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(dir.Combine("middle.xml"), target);
        File.CreateSymbolicLink(dir.Combine("config.xml"), dir.Combine("middle.xml"));

        AtomicFile.WriteText(dir.Combine("config.xml"), "new", AtomicFile.PrivateMode, keepBackup: false);

        Assert.NotNull(new FileInfo(dir.Combine("config.xml")).LinkTarget);
        Assert.NotNull(new FileInfo(dir.Combine("middle.xml")).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public void A_dangling_link_gets_its_target_created()
    {
        var link = dir.Combine("config.xml");
        File.CreateSymbolicLink(link, dir.Combine("elsewhere", "config.xml"));

        AtomicFile.WriteText(link, "new", AtomicFile.PrivateMode);

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(dir.Combine("elsewhere", "config.xml")));
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(dir.Combine("elsewhere", "config.xml")));
    }

    [Fact]
    public void A_symlink_where_the_backup_goes_is_replaced_not_followed()
    {
        var path = dir.Combine("config.xml");
        File.WriteAllText(path, "old");
        var elsewhere = dir.Combine("not-ours.txt");
        File.WriteAllText(elsewhere, "leave me");
        File.CreateSymbolicLink(AtomicFile.BackupPathOf(path), elsewhere);

        AtomicFile.WriteText(path, "new", AtomicFile.PrivateMode);

        Assert.Equal("leave me", File.ReadAllText(elsewhere));
        Assert.Null(new FileInfo(AtomicFile.BackupPathOf(path)).LinkTarget);
        Assert.Equal("old", File.ReadAllText(AtomicFile.BackupPathOf(path)));
    }
}
