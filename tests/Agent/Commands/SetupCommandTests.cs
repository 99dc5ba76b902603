using Thopter.Agent;
using Thopter.Shared.Devices;
using Xunit;

namespace Thopter.Tests.Agent.Commands;

/// <summary>setup's input checks, in-process: each bad input has its own exit code, and nothing in the home is touched.</summary>
public sealed class SetupCommandTests : IDisposable
{
    private static readonly string Laptop = DeviceId.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()).ToString();
    private readonly AgentRun agent = new(new ThrowingHandler());

    public void Dispose() => agent.Dispose();

    public static TheoryData<string, string, string, int> BadInputs() => new()
    {
        { "--laptop-device-id", "ABC", "invalid-device-id", 40 },
        { "--laptop-device-id", Laptop[..^1] + (Laptop[^1] == 'A' ? "B" : "A"), "invalid-device-id", 40 },
        { "--folder", "", "invalid-folder-name", 41 },
        { "--folder", "..", "invalid-folder-name", 41 },
        { "--folder", "a/b", "invalid-folder-name", 41 },
        { "--folder", "-x", "invalid-folder-name", 41 },
        { "--folder", ".stfolder", "invalid-folder-name", 41 },
        { "--folder", "a\u0001b", "invalid-folder-name", 41 },
        { "--gui-address", "0.0.0.0:8384", "invalid-address", 42 },
        { "--listen", "http://127.0.0.1:1", "invalid-address", 42 },
        { "--laptop-address", "tcp://nowhere", "invalid-address", 42 },
        { "--instance-id", "a b", "usage", 2 },
        { "--syncthing-version", "latest", "usage", 2 },
        { "--mirror", "ftp://x", "usage", 2 },
        { "--signing-key", "/nonexistent/key.pem", "signing-key-invalid", 29 },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_has_its_code_and_touches_nothing(string option, string value, string code, int exitCode)
    {
        var args = new List<string> { "setup", "--laptop-device-id", Laptop, "--folder", "code", "--home", Path.Combine(agent.UserHome, "st") };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var outcome = await agent.RunAsync([.. args]);

        var expected = ExitCodes.All.Single(c => c.Value == exitCode);
        Assert.Equal(code, expected.Name);
        outcome.AssertError(expected);
        Assert.Empty(Directory.EnumerateFileSystemEntries(agent.UserHome));
    }

    [Fact]
    public async Task A_binary_and_a_version_together_are_a_usage_error()
    {
        var outcome = await agent.RunAsync("setup", "--laptop-device-id", Laptop, "--folder", "code", "--home", Path.Combine(agent.UserHome, "st"),
            "--syncthing-binary", "/usr/bin/syncthing", "--syncthing-version", "v1.19.2");

        outcome.AssertError(ExitCodes.Usage);
        Assert.Contains("--syncthing-binary and --syncthing-version", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(agent.UserHome));
    }

    [Fact]
    public async Task Missing_required_options_are_usage_errors()
    {
        var outcome = await agent.RunAsync("setup", "--folder", "code");

        outcome.AssertError(ExitCodes.Usage);
        Assert.Contains("--laptop-device-id", outcome.Output, StringComparison.Ordinal);
    }

    /// <summary>Validation must fail before any download: a request reaching the network fails the test.</summary>
    private sealed class ThrowingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"unexpected request to {request.RequestUri}");
    }
}
