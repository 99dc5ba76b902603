using Thopter.Laptop.Conflicts;
using Thopter.Shared.Conflicts;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

/// <summary>SyncThing's conflict copy name (conflictName in its lib/model/folder_sendrecv.go) and nothing else.</summary>
public sealed class ConflictNameTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("notes.sync-conflict-20261121-093015-ABCDEF2.txt", "notes.txt")]
    [InlineData("Makefile.sync-conflict-20261121-093015-ABCDEF2", "Makefile")]
    [InlineData("archive.tar.sync-conflict-20261121-093015-ABCDEF2.gz", "archive.tar.gz")]
    [InlineData(".bashrc.sync-conflict-20261121-093015-ABCDEF2", ".bashrc")]
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
    [InlineData("notes.sync-conflict-20261121-093015-ABCDEF1.txt")]
    [InlineData("notes.sync-conflict-20261121-093015-ABCDEF22.txt")]
    [InlineData("notes.sync-conflict-20261321-093015-ABCDEF2.txt")]
    [InlineData("notes.sync-conflict-20261121-093015-ABCDEF2.txt.orig")]
    [InlineData("notes-sync-conflict-20261121-093015-ABCDEF2.txt")]
    [InlineData(".sync-conflict-20261121-093015-ABCDEF2")]
    [InlineData(".syncthing.Makefile.sync-conflict-20261121-093015-ABCDEF2.tmp")]
    [InlineData("~syncthing~Makefile.sync-conflict-20261121-093015-ABCDEF2.tmp")]
    [InlineData(".syncthing.notes.sync-conflict-20261121-093015-ABCDEF2.txt.tmp")]
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

    private void Write(string relative, string content)
    {
        var path = folder.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
