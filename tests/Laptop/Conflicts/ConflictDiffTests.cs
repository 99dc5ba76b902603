using Thopter.Laptop.Conflicts;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

public sealed class ConflictDiffTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Changed_lines_show_removed_then_added_with_long_unchanged_stretches_folded()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = before.Replace("line 10", "line ten", StringComparison.Ordinal);

        var lines = ConflictDiff.Lines(before, after)!;

        Assert.Equal(["@ 6 unchanged lines", " line 7", " line 8", " line 9", "-line 10", "+line ten", " line 11", " line 12", " line 13", "@ 7 unchanged lines"], lines);
    }

    [Fact]
    public void Binary_or_invalid_utf8_files_are_not_text()
    {
        var binary = folder.Combine("a.bin");
        File.WriteAllBytes(binary, [0x41, 0x00, 0x42]);
        var latin1 = folder.Combine("b.txt");
        File.WriteAllBytes(latin1, [0x41, 0xE9, 0x42]);

        Assert.Null(ConflictDiff.TextOf(binary));
        Assert.Null(ConflictDiff.TextOf(latin1));
    }
}
