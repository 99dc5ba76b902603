using Thopter.Shared.Acceleration;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration;

public sealed class ScanPathPlannerTests
{
    [Fact]
    public void Duplicates_and_paths_below_a_requested_directory_are_dropped()
    {
        var plan = ScanPathPlanner.Plan(["a/b", "a", "a/b/c", "a b", "ab", "a", "z/y"], maxPaths: 100);
        Assert.Equal(["a", "a b", "ab", "z/y"], plan.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_root_absorbs_everything_and_means_the_whole_folder()
    {
        Assert.Empty(ScanPathPlanner.Plan(["a", "", "b/c"], maxPaths: 100));
    }

    [Fact]
    public void Too_many_paths_collapse_to_parents_deepest_first_and_stay_covered()
    {
        var paths = Enumerable.Range(0, 3000).Select(i => $"src/mod{i % 3}/file{i}.cs").Append("README.md").ToList();
        var plan = ScanPathPlanner.Plan(paths, maxPaths: 10);
        Assert.Equal(["README.md", "src/mod0", "src/mod1", "src/mod2"], plan.Order(StringComparer.Ordinal));
        Assert.All(paths, path => Assert.Contains(plan, sub => path == sub || path.StartsWith(sub + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public void When_even_top_level_entries_are_too_many_the_whole_folder_is_scanned()
    {
        var paths = Enumerable.Range(0, 50).Select(i => $"top{i}/file").ToList();
        Assert.Empty(ScanPathPlanner.Plan(paths, maxPaths: 10));
    }

    [Theory]
    [InlineData("", "a/b", true)]
    [InlineData("a", "a", true)]
    [InlineData("a", "a/b", true)]
    [InlineData("a", "ab", false)]
    [InlineData("a/b", "a", false)]
    public void Covers_respects_segment_boundaries(string ancestor, string path, bool covers)
    {
        Assert.Equal(covers, ScanPathPlanner.Covers(ancestor, path));
    }
}
