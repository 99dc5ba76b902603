using System.Reflection;
using System.Text.RegularExpressions;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Errors;
using Xunit;

namespace Thopter.Tests.Laptop;

/// <summary>
/// laptop/README.md's exit-code table is the contract scripts read: it lists exactly the codes ExitCodes defines, by
/// number and name, and the CLI's one error mapper can end a command with each of them.
/// </summary>
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

    [Fact]
    public void The_readme_table_lists_no_code_that_does_not_exist()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "laptop", "README.md"));
        var table = readme[readme.IndexOf("## Exit codes", StringComparison.Ordinal)..];
        var rows = Regex.Matches(table, @"^\| (\d+) \| ([a-z-]+) \|", RegexOptions.Multiline);

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(ExitCodes.NameOf(int.Parse(r.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)), r.Groups[2].Value));
        Assert.Equal(Codes.Order(), rows.Select(r => int.Parse(r.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Fact]
    public void Each_error_kind_has_its_own_exit_code()
    {
        var mapped = Enum.GetValues<ErrorKind>()
            .Select(k => ErrorMapper.Map(new ThopterException(k, "reason", "fix"), CancellationToken.None).ExitCode)
            .ToList();

        Assert.Equal(mapped.Count, mapped.Distinct().Count());
        Assert.DoesNotContain(ExitCodes.InternalError, mapped);
        Assert.All(mapped, c => Assert.Contains(c, Codes));
    }

    [Fact]
    public void The_error_mapper_can_end_a_command_with_every_failure_code()
    {
        Exception[] failures =
        [
            .. Enum.GetValues<ErrorKind>().Select(k => new ThopterException(k, "reason", "fix")),
            new InvalidOperationException("a bug"),
        ];
        var produced = failures.Select(f => ErrorMapper.Map(f, CancellationToken.None).ExitCode).ToHashSet();

        // 0 is success, and doctor returns checks-failed as its result (its checks are printed, not thrown).
        Assert.Equal(Codes.Except([ExitCodes.Ok, ExitCodes.ChecksFailed]).Order(), produced.Order());
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
