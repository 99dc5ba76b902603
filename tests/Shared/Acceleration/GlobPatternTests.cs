using Thopter.Shared.Acceleration;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "dir/a.log", false)]
    [InlineData("**.log", "dir/a.log", true)]
    [InlineData("a/**", "a/b/c", true)]
    [InlineData("a/**", "a", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("[ab]x", "bx", true)]
    [InlineData("[ab]x", "cx", false)]
    [InlineData("[a-c]x", "cx", true)]
    [InlineData("[!a-c]x", "dx", true)]
    [InlineData("[!a-c]x", "ax", false)]
    [InlineData("{foo,ba?}.txt", "bar.txt", true)]
    [InlineData("{foo,ba?}.txt", "foo.txt", true)]
    [InlineData("{foo,ba?}.txt", "qux.txt", false)]
    [InlineData(@"\*.txt", "*.txt", true)]
    [InlineData(@"\*.txt", "a.txt", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("(x)+", "(x)+", true)]
    public void Matches_like_syncthing_globs(string glob, string path, bool expected)
    {
        Assert.Equal(expected, GlobPattern.Compile(glob).IsMatch(path));
    }

    [Theory]
    [InlineData("[abc")]
    [InlineData("{a,b")]
    [InlineData(@"abc\")]
    [InlineData("[]")]
    public void Malformed_globs_are_rejected(string glob)
    {
        Assert.Throws<FormatException>(() => GlobPattern.Compile(glob));
    }
}
