using Thopter.Shared.IO;
using Xunit;

namespace Thopter.Tests.Shared.IO;

/// <summary>Who can read a file is decided before its first byte: temp files and backups included.</summary>
public sealed class AtomicFileModeTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    public void The_temp_file_has_its_final_mode_while_still_empty(UnixFileMode mode)
    {
        var seen = ObserveTemps(() => AtomicFile.WriteText(dir.Combine("a.txt"), "secret", mode));

        var (_, created, length) = Assert.Single(seen);
        Assert.Equal(mode, created);
        Assert.Equal(0, length);
        Assert.Equal(mode, File.GetUnixFileMode(dir.Combine("a.txt")));
    }

    [Fact]
    public void A_new_file_made_by_CreateNew_is_private_from_its_first_byte()
    {
        var seen = ObserveTemps(() => AtomicFile.CreateNew(dir.Combine("key.pem"), "KEY"u8, AtomicFile.PrivateMode));

        Assert.Equal(AtomicFile.PrivateMode, Assert.Single(seen).Mode);
    }

    [Fact]
    public void The_backup_of_a_public_file_gaining_a_secret_is_private_from_its_first_byte()
    {
        // A config.xml SyncThing (or a user) left 0644, rewritten 0600 with the API key: the .bak holds the old key.
        var path = dir.Combine("config.xml");
        File.WriteAllText(path, "<apikey>old-key</apikey>");
        File.SetUnixFileMode(path, AtomicFile.PublicMode);

        var seen = ObserveTemps(() => AtomicFile.WriteText(path, "<apikey>new-key</apikey>", AtomicFile.PrivateMode));

        var backup = AtomicFile.BackupPathOf(path);
        Assert.Equal("<apikey>old-key</apikey>", File.ReadAllText(backup));
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(backup));
        Assert.Equal(2, seen.Count);
        Assert.All(seen, temp => Assert.Equal(AtomicFile.PrivateMode, temp.Mode));
    }

    [Fact]
    public void A_backup_already_there_with_a_wider_mode_is_narrowed()
    {
        var path = dir.Combine("config.xml");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, AtomicFile.PrivateMode);
        File.WriteAllText(AtomicFile.BackupPathOf(path), "old");
        File.SetUnixFileMode(AtomicFile.BackupPathOf(path), AtomicFile.PublicMode);

        AtomicFile.WriteText(path, "new", AtomicFile.PrivateMode);

        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(AtomicFile.BackupPathOf(path)));
    }

    [Fact]
    public void A_public_file_made_private_keeps_a_backup_no_wider_than_either()
    {
        var path = dir.Combine("unit.service");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        AtomicFile.WriteText(path, "new", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(AtomicFile.BackupPathOf(path)));
    }

    /// <summary>Every temp file <paramref name="write"/> creates, with its mode and length the moment it was created.</summary>
    private static List<(string Path, UnixFileMode Mode, long Length)> ObserveTemps(Action write)
    {
        var seen = new List<(string, UnixFileMode, long)>();
        AtomicFile.TempCreated.Value = (path, handle) => seen.Add((path, File.GetUnixFileMode(handle), RandomAccess.GetLength(handle)));
        try
        {
            write();
        }
        finally
        {
            AtomicFile.TempCreated.Value = null;
        }

        return seen;
    }
}
