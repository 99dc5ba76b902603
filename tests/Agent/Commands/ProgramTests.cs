using Xunit;
using Thopter.Agent;

namespace Thopter.Tests.Agent.Commands;

public sealed class ProgramTests
{
    [Fact]
    public async Task Version_prints_the_agent_version_alone()
    {
        using var run = new AgentRun();
        var outcome = await run.RunAsync("--version");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\S*\s*$", outcome.Output);
    }

    [Fact]
    public async Task No_command_is_a_usage_error_in_json()
    {
        using var run = new AgentRun();
        (await run.RunAsync()).AssertError(ExitCodes.Usage);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error_in_json()
    {
        using var run = new AgentRun();
        var outcome = await run.RunAsync("install", "--no-such-option");
        outcome.AssertError(ExitCodes.Usage);
        Assert.Contains("--no-such-option", outcome.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error_in_json()
    {
        using var run = new AgentRun();
        (await run.RunAsync("frobnicate")).AssertError(ExitCodes.Usage);
    }
}
