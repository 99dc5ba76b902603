using Xunit;
using Thopter.Agent;

namespace Thopter.Tests.Agent.Commands;

public sealed class ExitCodeTableTests
{
    [Fact]
    public void Numbers_and_names_are_unique_and_kebab_case()
    {
        Assert.Equal(ExitCodes.All.Count, ExitCodes.All.Select(c => c.Value).Distinct().Count());
        Assert.Equal(ExitCodes.All.Count, ExitCodes.All.Select(c => c.Name).Distinct().Count());
        Assert.All(ExitCodes.All, c => Assert.Matches("^[a-z]+(-[a-z]+)*$", c.Name));
        Assert.All(ExitCodes.All, c => Assert.InRange(c.Value, 0, 255));
    }

    [Fact]
    public void Every_code_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "agent-exit-codes.md"));
        Assert.All(ExitCodes.All, c => Assert.Contains($"| {c.Value} | `{c.Name}` |", doc, StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Thopter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Thopter.sln not found above " + AppContext.BaseDirectory);
    }
}
