using Xunit;
using Thopter.Agent;
using System.Text.Json;
using Thopter.Shared.Processes;

namespace Thopter.Tests.Agent.Commands;

/// <summary>The real NativeAOT agent (scripts/publish-agent.sh), run as a process with its own HOME.</summary>
internal static class AgentBinary
{
    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("THOPTER_AGENT_BINARY");
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    "THOPTER_AGENT_BINARY must name the published agent: run scripts/publish-agent.sh and export THOPTER_AGENT_BINARY=$PWD/artifacts/agent/thopter-agent (scripts/test.sh does both)");
            }

            return path;
        }
    }

    public static async Task<Result> RunAsync(string home, params string[] args)
    {
        var spec = new ProcessSpec(Path, args)
        {
            Environment = new Dictionary<string, string?> { ["HOME"] = home },
            Timeout = TimeSpan.FromMinutes(2),
        };
        var result = await new ProcessRunner().RunAsync(spec);
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    internal sealed record Result(int ExitCode, string Output, string Error)
    {
        public JsonElement Json()
        {
            using var document = JsonDocument.Parse(Output);
            return document.RootElement.Clone();
        }

        public void AssertSuccess() => Assert.True(ExitCode == 0, $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}");

        public void AssertError(ExitCode expected)
        {
            Assert.True(ExitCode == expected.Value, $"expected exit {expected.Value} ({expected.Name}), got {ExitCode}\nstdout: {Output}\nstderr: {Error}");
            Assert.Equal(expected.Name, Json().GetProperty("error").GetProperty("code").GetString());
        }
    }
}
