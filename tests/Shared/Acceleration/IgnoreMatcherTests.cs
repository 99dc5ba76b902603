using Thopter.Shared.Acceleration;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration;

public sealed class IgnoreMatcherTests
{
    [Theory]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "deep/dir/a.log", true)]
    [InlineData("*.log", "a.log/inside", true)]
    [InlineData("*.log", "a.txt", false)]
    [InlineData("/build", "build", true)]
    [InlineData("/build", "build/out.o", true)]
    [InlineData("/build", "src/build", false)]
    [InlineData("build/", "build", false)]
    [InlineData("build/", "build/out.o", true)]
    [InlineData("build/", "x/build/out.o", true)]
    [InlineData("**/cache", "a/b/cache", true)]
    [InlineData("**/cache", "cache", true)]
    [InlineData("node_modules", "web/node_modules/react/index.js", true)]
    [InlineData("/a/*/c", "a/b/c", true)]
    [InlineData("/a/*/c", "a/b/x/c", false)]
    [InlineData("/a/**/c", "a/b/x/c", true)]
    [InlineData("(?i)*.JPG", "photos/A.jpg", true)]
    [InlineData("(?d).DS_Store", "x/.DS_Store", true)]
    [InlineData("(?d)(?i)THUMBS.db", "thumbs.DB", true)]
    public void Single_patterns_match_like_syncthing(string pattern, string path, bool ignored)
    {
        Assert.Equal(ignored, IgnoreMatcher.Parse(pattern).IsIgnored(path));
    }

    [Fact]
    public void Case_matters_without_the_i_prefix_except_on_macos()
    {
        // SyncThing folds case by default where the file system does.
        Assert.Equal(OperatingSystem.IsMacOS(), IgnoreMatcher.Parse("*.JPG").IsIgnored("a.jpg"));
    }

    [Fact]
    public void First_matching_pattern_wins_so_negation_before_a_glob_keeps_the_file()
    {
        var matcher = IgnoreMatcher.Parse("!important.log\n*.log\n");
        Assert.False(matcher.IsIgnored("important.log"));
        Assert.False(matcher.IsIgnored("sub/important.log"));
        Assert.True(matcher.IsIgnored("other.log"));

        var negationTooLate = IgnoreMatcher.Parse("*.log\n!important.log\n");
        Assert.True(negationTooLate.IsIgnored("important.log"));
    }

    [Fact]
    public void Comments_blank_lines_and_whitespace_are_skipped()
    {
        var matcher = IgnoreMatcher.Parse("// a comment\r\n\r\n   *.tmp   \r\n// *.txt\n");
        Assert.True(matcher.IsIgnored("x.tmp"));
        Assert.False(matcher.IsIgnored("x.txt"));
        Assert.Null(matcher.ParseError);
    }

    [Fact]
    public void Patterns_from_the_first_include_on_are_dropped_so_nothing_is_wrongly_ignored()
    {
        // The included file might say "!keep.bin"; without reading it we must not ignore keep.bin.
        var matcher = IgnoreMatcher.Parse("*.o\n#include more-ignores.txt\n*.bin\n");
        Assert.True(matcher.HasInclude);
        Assert.True(matcher.IsIgnored("main.o"));
        Assert.False(matcher.IsIgnored("keep.bin"));
    }

    [Theory]
    [InlineData("*.o\n!\n")]
    [InlineData("*.o\n[abc\n")]
    [InlineData("*.o\n(?d)\n")]
    public void A_file_syncthing_rejects_ignores_nothing(string content)
    {
        var matcher = IgnoreMatcher.Parse(content);
        Assert.NotNull(matcher.ParseError);
        Assert.False(matcher.IsIgnored("main.o"));
    }

    [Fact]
    public void The_root_is_never_ignored_even_by_a_catch_all()
    {
        var matcher = IgnoreMatcher.Parse("*\n");
        Assert.False(matcher.IsIgnored(""));
        Assert.True(matcher.IsIgnored("anything"));
    }

    [Fact]
    public void Load_reads_the_folder_stignore_and_a_missing_one_ignores_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("thopter-ignore-").FullName;
        try
        {
            Assert.False(IgnoreMatcher.Load(folder).IsIgnored("a.log"));
            Assert.Null(IgnoreMatcher.Load(folder).ParseError);

            File.WriteAllText(Path.Combine(folder, ".stignore"), "*.log\n");
            Assert.True(IgnoreMatcher.Load(folder).IsIgnored("a.log"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(".syncthing.report.pdf.tmp", true)]
    [InlineData("docs/.syncthing.report.pdf.tmp", true)]
    [InlineData("docs/~syncthing~report.pdf.tmp", true)]
    [InlineData("docs/report.syncthing.tmp", false)]
    public void Syncthing_temp_files_are_recognised(string path, bool temporary)
    {
        Assert.Equal(temporary, SyncthingOwnPaths.IsTemporary(path));
    }

    [Theory]
    [InlineData(".stfolder", true)]
    [InlineData(".stfolder/marker", true)]
    [InlineData(".stversions/a~20240101.txt", true)]
    [InlineData(".stignore", true)]
    [InlineData(".stfolderx", false)]
    [InlineData("sub/.stfolder", false)]
    public void Syncthing_internal_paths_are_recognised(string path, bool isInternal)
    {
        Assert.Equal(isInternal, SyncthingOwnPaths.IsInternal(path));
    }

    [Theory]
    [InlineData("node_modules\n.git\n", "node_modules", true)]
    [InlineData("node_modules\n.git\n", "web/node_modules", true)]
    [InlineData("/build\n", "build", true)]
    [InlineData("/build\n", "src/build", false)]
    [InlineData("node_modules\n", "src", false)]
    [InlineData("*.log\n", "logs", false)]
    // A negation could take something below any ignored directory back: nothing is skipped then.
    [InlineData("!node_modules/keep\nnode_modules\n", "node_modules", false)]
    [InlineData("!important.txt\nnode_modules\n", "node_modules", false)]
    public void A_directory_is_skipped_only_when_nothing_below_it_can_sync(string patterns, string directory, bool skipped)
    {
        Assert.Equal(skipped, IgnoreMatcher.Parse(patterns).SkipsDirectory(directory));
    }
}
