using System.Diagnostics;
using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Devices;
using Thopter.Tests.Laptop.Agent.Delivery;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Transport;

/// <summary>
/// What a devbox sends is bounded and cleaned before it reaches the user: `thopter sync pair` runs the real process
/// runner through a transport that is a script on this machine (a transport is any command prefix; the script plays
/// a devbox whose thopter-agent misbehaves), against an in-memory laptop SyncThing (SyncThing is not what is tested).
/// </summary>
public sealed class UntrustedDevboxOutputTests : IDisposable
{
    private static readonly string LaptopId = DeviceId.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()).ToString();
    private readonly TempDirectory home = new();
    private readonly FakeLaptopSyncthing syncthing;

    public UntrustedDevboxOutputTests()
    {
        File.WriteAllText(home.Combine("st.key"), "fakeKey0123456789abcdefFAKEKEY");
        Directory.CreateDirectory(home.Combine("code"));
        File.WriteAllText(home.Combine(".thopter.json"), new JsonObject
        {
            ["syncthing"] = new JsonObject
            {
                ["deviceId"] = LaptopId,
                ["folderName"] = "code",
                ["api"] = new JsonObject { ["url"] = "http://127.0.0.1:8384", ["keyFile"] = home.Combine("st.key") },
            },
        }.ToJsonString());
        syncthing = new FakeLaptopSyncthing(LaptopId, "code", home.Combine("code"));
    }

    public void Dispose() => home.Dispose();

    /// <summary>A transport whose "devbox" runs <c>echo ok</c> for real and answers thopter-agent with <paramref name="agent"/> (sh).</summary>
    private async Task<CliResult> PairThroughAsync(string agent)
    {
        var script = home.Combine("devbox");
        File.WriteAllText(script, $"#!/bin/sh\ncase \"$3\" in *'machine $(uname -m)'*) echo '{FakeAgentBinary.ProbeAnswer(("thopter-agent", "0.1.0", FakeAgentBinary.Agent.Sha256))}'; exit;; esac\nif [ \"$1\" = thopter-agent ]; then\n{agent}\nexit\nfi\nexec \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new CliEnvironment { Home = home.Path, SyncthingHandler = syncthing.Handler, AgentBinaries = FakeAgentBinary.Binaries };
        return await CliRun.RunAsync(environment, "sync", "pair", "box1", "--transport", script, "--no-wait");
    }

    [Fact]
    public async Task A_devbox_printing_300_MB_is_cut_at_the_bound_and_reported_in_one_short_line()
    {
        var clock = Stopwatch.StartNew();
        var result = await PairThroughAsync("head -c 300000000 /dev/zero | tr '\\0' x >&2; exit 1");

        Assert.Equal(ExitCodes.AgentError, result.ExitCode);
        Assert.Contains("printed more than 4 MiB of text on stderr", result.Error, StringComparison.Ordinal);
        Assert.True(result.Error.Length < 2000, $"the error is {result.Error.Length} characters long");
        Assert.Equal(0, syncthing.Writes);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_agent_document_with_wrong_types_is_an_agent_error_in_one_line()
    {
        var result = await PairThroughAsync("""echo '{"error": {"code": 5, "message": ["x"], "fix": {"a": 1}}}'; exit 40""");

        Assert.Equal(ExitCodes.AgentError, result.ExitCode);
        Assert.Equal(2, result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);

        var setup = await PairThroughAsync("""echo '{"deviceId": 7, "identity": "kept", "warnings": [1, "w"]}'""");

        Assert.Equal(ExitCodes.AgentError, setup.ExitCode);
        Assert.Contains("reported no valid device ID", setup.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", setup.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escape_sequences_in_an_agents_message_and_fix_never_reach_the_terminal()
    {
        var result = await PairThroughAsync("""printf '{"error": {"code": "x", "message": "bad\\u001b]0;owned\\u0007\\u001b[2J\\rhidden", "fix": "\\u009b31mred"}}'; exit 40""");

        Assert.Equal(ExitCodes.AgentError, result.ExitCode);
        Assert.Contains("bad]0;owned[2Jhidden", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Error, c => char.IsControl(c) && c != '\n');
    }
}
