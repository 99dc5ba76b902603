using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
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

    [Theory]
    [InlineData("DEVBOX2", "devbox", "laptop", "notes.from-laptop.txt")]
    [InlineData("LAPTOP2", "laptop", "devbox", "notes.from-devbox.txt")]
    public void Keep_both_names_the_copy_after_whose_version_it_holds_and_never_overwrites(string winner, string inOriginal, string inCopy, string copyName)
    {
        Write("notes.txt", inOriginal);
        Write(copyName, "already here");
        Write($"notes.sync-conflict-20261121-093015-{winner}.txt", inCopy);
        var conflict = ConflictScanner.Scan(folder.Path).Single();

        var resolution = ConflictResolver.Resolve(folder.Path, conflict, KeepChoice.Both, "LAPTOP2", Now);

        Assert.Equal(inOriginal, File.ReadAllText(folder.Combine("notes.txt")));
        Assert.Equal(folder.Combine(copyName.Replace(".txt", ".2.txt", StringComparison.Ordinal)), resolution.BothCopy);
        Assert.Equal(inCopy, File.ReadAllText(resolution.BothCopy!));
        Assert.Equal("already here", File.ReadAllText(folder.Combine(copyName)));
        Assert.Null(resolution.DiscardedTo);
        Assert.Empty(ConflictScanner.Scan(folder.Path));
    }

    [Fact]
    public async Task Resolve_both_says_which_version_is_where()
    {
        File.WriteAllText(folder.Combine(".thopter.json"), """{"syncthing":{"deviceId":"LAPTOP2-AAAAAAA","folderName":"code"}}""");
        Directory.CreateDirectory(folder.Combine("code"));
        Write("code/notes.txt", "devbox");
        Write("code/notes.sync-conflict-20261121-093015-DEVBOX2.txt", "laptop");

        var result = await CliRun.RunAsync(new CliEnvironment { Home = folder.Path }, "sync", "conflicts", "resolve", folder.Combine("code", "notes.txt"), "--keep", "both");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("notes.txt: kept both versions: the devbox's in notes.txt, the laptop's in ~/code/notes.from-laptop.txt\n", result.Output);
        Assert.Equal("laptop", File.ReadAllText(folder.Combine("code", "notes.from-laptop.txt")));
    }

    [Fact]
    public async Task A_conflict_copy_whose_name_holds_a_newline_is_listed()
    {
        File.WriteAllText(folder.Combine(".thopter.json"), """{"syncthing":{"deviceId":"LAPTOP2-AAAAAAA","folderName":"code"}}""");
        Write("code/two\nlines.sync-conflict-20261121-093015-DEVBOX2.txt", "laptop");
        Write("code/two\nlines.txt", "devbox");

        var found = Assert.Single(ConflictScanner.Scan(folder.Combine("code")));
        var listed = await CliRun.RunAsync(new CliEnvironment { Home = folder.Path }, "sync", "conflicts", "--json");

        Assert.Equal("two\nlines.txt", found.OriginalRelativePath);
        Assert.True(found.OriginalExists);
        Assert.Equal("two\nlines.sync-conflict-20261121-093015-DEVBOX2.txt", (string)JsonNode.Parse(listed.Output)!["conflicts"]![0]!["path"]!);
    }

    [Fact]
    public void Two_conflicts_on_one_path_resolved_in_the_same_second_keep_both_discarded_versions()
    {
        // Keeping the copy (this laptop's version) twice moves the original to the same trash path twice.
        Write("notes.txt", "devbox");
        Write("notes.sync-conflict-20261121-093015-DEVBOX2.txt", "laptop one");
        Write("notes.sync-conflict-20261121-093016-DEVBOX2.txt", "laptop two");
        var conflicts = ConflictScanner.Scan(folder.Path);

        var first = ConflictResolver.Resolve(folder.Path, conflicts[0], KeepChoice.Local, "LAPTOP2", Now);
        var second = ConflictResolver.Resolve(folder.Path, conflicts[1], KeepChoice.Local, "LAPTOP2", Now);

        Assert.NotEqual(first.DiscardedTo, second.DiscardedTo);
        Assert.Equal("devbox", File.ReadAllText(first.DiscardedTo!));
        Assert.Equal("laptop one", File.ReadAllText(second.DiscardedTo!));
        Assert.Equal(["devbox", "laptop one"], Directory.GetFiles(folder.Combine(".stversions"), "*", SearchOption.AllDirectories).Select(File.ReadAllText).Order(StringComparer.Ordinal));
        Assert.Equal("laptop two", File.ReadAllText(folder.Combine("notes.txt")));
    }

    private void Write(string relative, string content)
    {
        var path = folder.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
