using System.Reflection;
using Thopter.Laptop;
using Xunit;

namespace Thopter.Tests.Laptop;

/// <summary>laptop/README.md's exit-code table is the contract scripts read: it must list every code ExitCodes defines, by number and name.</summary>
public sealed class ExitCodeTableTests
{
    private static IReadOnlyList<int> Codes { get; } = [.. typeof(ExitCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(int))
        .Select(f => (int)f.GetRawConstantValue()!)];

    [Fact]
    public void Numbers_and_names_are_unique()
    {
        Assert.Equal(Codes.Count, Codes.Distinct().Count());
        Assert.Equal(Codes.Count, Codes.Select(ExitCodes.NameOf).Distinct().Count());
        Assert.All(Codes, c => Assert.Matches("^[a-z]+(-[a-z]+)*$", ExitCodes.NameOf(c)));
    }

    [Fact]
    public void Every_code_is_documented_in_the_laptop_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "laptop", "README.md"));
        var rows = readme.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.All(Codes, c => Assert.Contains(rows, r => r.StartsWith($"| {c} | {ExitCodes.NameOf(c)} |", StringComparison.Ordinal)));
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
