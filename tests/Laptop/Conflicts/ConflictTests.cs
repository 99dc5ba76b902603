using Thopter.Laptop.Conflicts;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

public sealed class ConflictTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("notes.sync-conflict-20261121-093015-ABCDEF2.txt", "notes.txt")]
    [InlineData("Makefile.sync-conflict-20261121-093015-ABCDEF2", "Makefile")]
    [InlineData("archive.tar.sync-conflict-20261121-093015-ABCDEF2.gz", "archive.tar.gz")]
    [InlineData("a.sync-conflict-20261121-093015-ABCDEF2.sync-conflict-20261122-000000-ZZZZZZ2.txt", "a.sync-conflict-20261121-093015-ABCDEF2.txt")]
    public void Conflict_names_parse_to_original_time_and_device(string name, string original)
    {
        var parsed = ConflictName.TryParse(name);

        Assert.NotNull(parsed);
        Assert.Equal(original, parsed.OriginalName);
    }

    [Fact]
    public void Time_and_device_are_read_from_the_name()
    {
        var parsed = ConflictName.TryParse("notes.sync-conflict-20261121-093015-ABCDEF2.txt")!;

        Assert.Equal(new DateTime(2026, 11, 21, 9, 30, 15), parsed.Time);
        Assert.Equal("ABCDEF2", parsed.ShortDeviceId);
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("notes.sync-conflict-2026112-093015-ABCDEF2.txt")]
    [InlineData("notes.sync-conflict-20261121-093015-abcdef2.txt")]
    [InlineData("notes.sync-conflict-20261321-093015-ABCDEF2.txt")]
    [InlineData(".sync-conflict-20261121-093015-ABCDEF2")]
    public void Other_names_are_not_conflicts(string name) => Assert.Null(ConflictName.TryParse(name));

    [Fact]
    public void Scan_finds_conflicts_in_subdirectories_but_not_in_stversions()
    {
        Write("src/a.sync-conflict-20261121-093015-LAPTOP2.c", "x");
        Write("src/a.c", "y");
        Write(".stversions/b.sync-conflict-20261121-093015-LAPTOP2.c", "old");

        var found = Assert.Single(ConflictScanner.Scan(folder.Path));

        Assert.Equal(Path.Combine("src", "a.c"), found.OriginalRelativePath);
        Assert.True(found.OriginalExists);
    }

    [Theory]
    [InlineData(KeepChoice.Local, "laptop", "devbox")]
    [InlineData(KeepChoice.Remote, "devbox", "laptop")]
    public void Resolve_keeps_the_chosen_version_and_moves_the_other_to_the_unsynced_trash(KeepChoice keep, string kept, string discarded)
    {
        // The devbox's change won: the original holds it, the copy (tagged with the winner) holds the laptop's version.
        Write("notes.txt", "devbox");
        Write("notes.sync-conflict-20261121-093015-DEVBOX2.txt", "laptop");
        var conflict = ConflictScanner.Scan(folder.Path).Single();

        var resolution = ConflictResolver.Resolve(folder.Path, conflict, keep, "LAPTOP2", Now);

        Assert.Equal(kept, File.ReadAllText(folder.Combine("notes.txt")));
        Assert.Equal(discarded, File.ReadAllText(resolution.DiscardedTo!));
        Assert.StartsWith(folder.Combine(".stversions", "thopter-resolved"), resolution.DiscardedTo, StringComparison.Ordinal);
        Assert.Empty(ConflictScanner.Scan(folder.Path));
    }

    [Fact]
    public void Keep_remote_when_the_laptop_change_won()
    {
        Write("notes.txt", "laptop");
        Write("notes.sync-conflict-20261121-093015-LAPTOP2.txt", "devbox");
        var conflict = ConflictScanner.Scan(folder.Path).Single();

        ConflictResolver.Resolve(folder.Path, conflict, KeepChoice.Remote, "LAPTOP2", Now);

        Assert.Equal("devbox", File.ReadAllText(folder.Combine("notes.txt")));
        Assert.Equal("laptop", File.ReadAllText(Directory.GetFiles(folder.Combine(".stversions"), "notes.txt", SearchOption.AllDirectories).Single()));
    }

    [Fact]
    public void Keep_both_renames_the_copy_beside_the_original_and_never_overwrites()
    {
        Write("notes.txt", "one");
        Write("notes.from-DEVBOX2.txt", "already here");
        Write("notes.sync-conflict-20261121-093015-DEVBOX2.txt", "two");
        var conflict = ConflictScanner.Scan(folder.Path).Single();

        var resolution = ConflictResolver.Resolve(folder.Path, conflict, KeepChoice.Both, "LAPTOP2", Now);

        Assert.Equal("one", File.ReadAllText(folder.Combine("notes.txt")));
        Assert.Equal("two", File.ReadAllText(resolution.BothCopy!));
        Assert.Equal("already here", File.ReadAllText(folder.Combine("notes.from-DEVBOX2.txt")));
        Assert.Null(resolution.DiscardedTo);
        Assert.Empty(ConflictScanner.Scan(folder.Path));
    }

    private void Write(string relative, string content)
    {
        var path = folder.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
