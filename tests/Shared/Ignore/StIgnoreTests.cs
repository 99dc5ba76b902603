using Thopter.Shared.Ignore;
using Xunit;

namespace Thopter.Tests.Shared.Ignore;

public sealed class StIgnoreTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Nothing_yet_gives_header_and_every_default(string? existing)
    {
        var merged = StIgnore.Merge(existing);

        Assert.Equal(StIgnore.Header + "\n" + string.Join("\n", StIgnore.DefaultPatterns) + "\n", merged);
    }

    [Fact]
    public void Defaults_are_the_agreed_list()
    {
        Assert.Equal(
            [".git", "node_modules", "dist", ".next", "__pycache__", "*.pyc", ".venv", ".DS_Store", "Thumbs.db", "*.swp", "*.swo", "*~"],
            StIgnore.DefaultPatterns);
    }

    [Fact]
    public void User_lines_stay_first_in_order_and_only_missing_defaults_are_added()
    {
        const string user = "// my rules\nbuild/\nnode_modules\n\n*.log\n#include more-ignores\n!dist\n(?d).DS_Store\n";

        var merged = StIgnore.Merge(user);

        Assert.StartsWith(user, merged, StringComparison.Ordinal);
        var added = merged[user.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(StIgnore.Header, added[0]);
        Assert.Equal(
            StIgnore.DefaultPatterns.Except(["node_modules", "dist", ".DS_Store"]),
            added.Skip(1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\nb")]
    [InlineData("a\r\nb\r\n")]
    [InlineData(".git\nnode_modules\ndist\n.next\n__pycache__\n*.pyc\n.venv\n.DS_Store\nThumbs.db\n*.swp\n*.swo\n*~")]
    [InlineData("// thopter sync defaults (to sync one of these, change its line to !PATTERN)\n.git\n")]
    public void Merge_is_idempotent(string existing)
    {
        var once = StIgnore.Merge(existing);

        Assert.Equal(once, StIgnore.Merge(once));
        Assert.All(StIgnore.DefaultPatterns, p => Assert.Contains(p, once.Split('\n').Select(l => l.TrimEnd('\r'))));
    }

    [Fact]
    public void Complete_file_is_returned_unchanged_even_without_final_newline()
    {
        var complete = string.Join("\n", StIgnore.DefaultPatterns);

        Assert.Same(complete, StIgnore.Merge(complete));
    }

    [Fact]
    public void Missing_final_newline_and_crlf_are_respected()
    {
        Assert.StartsWith("a\r\nb\r\n\r\n" + StIgnore.Header + "\r\n.git\r\n", StIgnore.Merge("a\r\nb"), StringComparison.Ordinal);
        Assert.StartsWith("x\n\n" + StIgnore.Header + "\n", StIgnore.Merge("x"), StringComparison.Ordinal);
    }

    [Fact]
    public void Header_is_not_repeated_when_a_default_was_deleted_later()
    {
        var merged = StIgnore.Merge("keep\n");
        var withoutDist = merged.Replace("\ndist\n", "\n", StringComparison.Ordinal);

        var again = StIgnore.Merge(withoutDist);

        Assert.Equal(withoutDist + "dist\n", again);
        Assert.Single(again.Split('\n'), l => l == StIgnore.Header);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_kept_exactly()
    {
        // Latin-1 "café", a lone continuation byte and a UTF-8 "é": none may turn into U+FFFD.
        byte[] user = [.. "caf"u8, 0xE9, (byte)'\n', 0xA0, .. "x\n"u8, .. "d\u00e9j\u00e0\n"u8];

        var merged = StIgnore.MergeBytes(user);

        Assert.Equal(user, merged[..user.Length]);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(StIgnore.Merge("x\n")[2..]), merged[user.Length..]);
        Assert.Equal(merged, StIgnore.MergeBytes(merged));
    }
}
