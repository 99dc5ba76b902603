using Xunit;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Thopter.Agent;
using Thopter.Agent.Commands;
using Thopter.Agent.Install;
using Thopter.Shared.Processes;

namespace Thopter.Tests.Agent.Commands;

/// <summary>Invokes the agent's command tree in-process, the way Main does, with a temp home and the given HTTP handler.</summary>
internal sealed class AgentRun : IDisposable
{
    public AgentRun(HttpMessageHandler? http = null, Architecture architecture = Architecture.X64)
    {
        UserHome = Directory.CreateTempSubdirectory("thopter-agent-test-").FullName;
        Http = http ?? new HttpClientHandler();
        Dependencies = new AgentDependencies(Http, new ProcessRunner(), TimeProvider.System, UserHome, architecture, _ => NullLoggerFactory.Instance)
        {
            Download = new DownloadOptions
            {
                MaxAttempts = 3,
                InitialBackoff = TimeSpan.FromMilliseconds(1),
                StallTimeout = TimeSpan.FromMilliseconds(150),
            },
        };
    }

    public string UserHome { get; }

    public HttpMessageHandler Http { get; }

    public AgentDependencies Dependencies { get; set; }

    public InstallLayout Layout => new(UserHome);

    public async Task<Outcome> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await Thopter.Agent.Program.InvokeAsync(args, Dependencies, output, error);
        return new Outcome(exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Http.Dispose();
        Directory.Delete(UserHome, recursive: true);
    }

    internal sealed record Outcome(int ExitCode, string Output, string Error)
    {
        /// <summary>Parses stdout, asserting it is exactly one JSON document.</summary>
        public JsonElement Json()
        {
            using var document = JsonDocument.Parse(Output);
            return document.RootElement.Clone();
        }

        public string ErrorCode => Json().GetProperty("error").GetProperty("code").GetString()!;

        public void AssertError(ExitCode expected)
        {
            Assert.True(ExitCode == expected.Value, $"expected exit {expected.Value} ({expected.Name}), got {ExitCode}\nstdout: {Output}\nstderr: {Error}");
            var error = Json().GetProperty("error");
            Assert.Equal(expected.Name, error.GetProperty("code").GetString());
            Assert.Equal(expected.Value, error.GetProperty("exitCode").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("fix").GetString()));
        }
    }
}
