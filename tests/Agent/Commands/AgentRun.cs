using Xunit;
using System.Runtime.InteropServices;
using System.Text.Json;
using Thopter.Agent;
using Thopter.Agent.Commands;
using Thopter.Agent.Install;
using Thopter.Shared.Processes;
using Thopter.Tests.Shared.Logging;

namespace Thopter.Tests.Agent.Commands;

/// <summary>Invokes the agent's command tree in-process, the way Main does, with a temp home and the given HTTP handler.</summary>
internal sealed class AgentRun : IDisposable
{
    public AgentRun(HttpMessageHandler? http = null, Architecture architecture = Architecture.X64)
    {
        UserHome = Directory.CreateTempSubdirectory("thopter-agent-test-").FullName;
        Http = http ?? new HttpClientHandler();
        Dependencies = new AgentDependencies(Http, new ProcessRunner(), TimeProvider.System, UserHome, architecture)
        {
            LogSink = new WriterLogSink(logs),
            Download = new DownloadOptions
            {
                MaxAttempts = 3,
                InitialBackoff = TimeSpan.FromMilliseconds(1),
                StallTimeout = TimeSpan.FromMilliseconds(150),
            },
        };
    }

    public string UserHome { get; }

    private readonly StringWriter logs = new();

    public HttpMessageHandler Http { get; }

    public AgentDependencies Dependencies { get; set; }

    public InstallLayout Layout => new(UserHome);

    public async Task<Outcome> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        logs.GetStringBuilder().Clear();
        var exitCode = await Thopter.Agent.Program.InvokeAsync(args, Dependencies, output, error);
        return new Outcome(exitCode, output.ToString(), error.ToString()) { Logs = logs.ToString() };
    }

    public void Dispose()
    {
        Http.Dispose();
        logs.Dispose();
        Directory.Delete(UserHome, recursive: true);
    }

    internal sealed record Outcome(int ExitCode, string Output, string Error)
    {
        /// <summary>What the run logged (to stderr, in a real process).</summary>
        public string Logs { get; init; } = string.Empty;

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
