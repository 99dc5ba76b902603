using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>Inputs that used to end in a stack trace: each is now one documented exit code, a reason and a fix.</summary>
public sealed class OneLineErrorTests : IDisposable
{
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path };

    private static void AssertOneError(CliResult result, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pair_timeout_too_large_for_a_timer_is_bad_input()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", "ssh box1", "--timeout", "2147483647");

        AssertOneError(result, ExitCodes.BadInput);
        Assert.Contains("between 1 and 86400", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_config_file_is_refused_after_a_bounded_read()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "show", "--config", "/dev/zero");

        AssertOneError(result, ExitCodes.ConfigCorrupt);
        Assert.Contains("/dev/zero is larger than 16 MiB", result.Error, StringComparison.Ordinal);
    }
}
