using System.Text;
using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Agent.Delivery;
using Thopter.Laptop.Daemon;
using Thopter.Tests.Laptop;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// `pair` delivers the real AOT agent to real devbox containers whose image-baked agent was removed first (a devbox
/// fresh from a provider), through `docker exec`, and what crossed the transport is read from
/// <see cref="TransportRecorder"/>: the agent's bytes once, then nothing on the second pair. A changed byte in transit
/// is refused on the devbox and leaves no file; an older agent (the real agent with a lower version) is replaced.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AgentDeliveryTests(ITestOutputHelper output)
{
    private const string Installed = "/home/dev/.local/bin/thopter-agent";

    private static AgentBinary LaptopAgent => AgentBinaries.FromProcess().For(ElfMachine.X64)
        ?? throw new InvalidOperationException($"{AgentBinaries.EnvironmentVariable} must name the published agent (scripts/test.sh sets it)");

    [Fact]
    public async Task A_devbox_without_an_agent_gets_it_checksum_verified_syncs_both_ways_and_a_second_pair_sends_nothing()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await StartWithoutAgentAsync(world);
        var recorder = new TransportRecorder { FlipByteAt = 4096 };
        var terminal = world.Environment with { Processes = recorder, InteractiveError = true };

        var tampered = await CliRun.RunAsync(terminal, box.PairArguments());

        Assert.True(tampered.ExitCode == ExitCodes.AgentDeliveryFailed, tampered.ToString());
        Assert.Contains("arrived changed and was refused", tampered.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await ListLocalBinAsync(box));
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(world.Home, ".thopter.json")))!["syncthing"]!["devboxes"]);

        recorder.FlipByteAt = null;
        recorder.Runs.Clear();
        var first = await CliRun.RunAsync(terminal, box.PairArguments());

        Assert.True(first.ExitCode == 0, first.ToString());
        var upload = Assert.Single(recorder.Runs, r => r.StdinBytes > 0);
        Assert.Equal(LaptopAgent.Length, upload.StdinBytes);
        Assert.Equal(["exec", "-i", "-u", "dev", box.Devbox.Name, "sh", "-c"], upload.Spec.Arguments.Take(7));
        Assert.Contains("sending thopter-agent", first.Error, StringComparison.Ordinal);
        Assert.Contains($"thopter-agent installed at {Installed} (SHA-256 checked)", first.Error, StringComparison.Ordinal);
        Assert.Equal(LaptopAgent.Sha256, await DevboxSha256Async(box));
        Assert.Equal("thopter-agent", await ListLocalBinAsync(box));
        output.WriteLine($"MEASURE agent delivery through docker exec: {upload.StdinBytes} bytes in {upload.Elapsed.TotalMilliseconds:0} ms (sh -c: receive, SHA-256, --version, rename)");

        await box.WriteAsync("from-devbox.txt", "devbox");
        await Eventually.TrueAsync("the devbox's file on the laptop", () => File.Exists(Path.Combine(world.LaptopFolder, "from-devbox.txt")));
        await File.WriteAllTextAsync(Path.Combine(world.LaptopFolder, "from-laptop.txt"), "laptop");
        await Eventually.TrueAsync("the laptop's file on the devbox", async () => await box.ReadAsync("from-laptop.txt") == "laptop");

        var before = await StatAsync(box);
        recorder.Runs.Clear();
        var second = JsonNode.Parse((await CliRun.RunAsync(world.Environment with { Processes = recorder }, [.. box.PairArguments(), "--json"])).Output)!;

        Assert.Equal("kept", (string)second["agent"]!["action"]!);
        Assert.Equal(Installed, (string)second["agent"]!["path"]!);
        Assert.Equal(0, (long)second["agent"]!["bytesSent"]!);
        Assert.Equal(0, recorder.StdinBytes);
        Assert.All(recorder.Runs, r => Assert.Null(r.Spec.InputWriter));
        Assert.Contains(recorder.Runs, r => r.Spec.Arguments.Contains(Installed) && r.Spec.Arguments.Contains("setup"));
        Assert.Equal(before, await StatAsync(box));

        // A golden image from here: the agent is already this build, so prepare-snapshot sends nothing and runs it.
        recorder.Runs.Clear();
        var snapshot = await CliRun.RunAsync(world.Environment with { Processes = recorder }, "sync", "prepare-snapshot", box.Name, "--json");

        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        var prepared = JsonNode.Parse(snapshot.Output)!;
        Assert.Equal("kept", (string)prepared["agent"]!["action"]!);
        Assert.Equal(0, recorder.StdinBytes);
        Assert.True((bool)prepared["prepareSnapshot"]!["stopped"]!, snapshot.Output);
        Assert.NotEmpty((JsonArray)prepared["prepareSnapshot"]!["setAside"]!);
    }

    [Fact]
    public async Task An_older_agent_survives_a_changed_upload_untouched_and_is_then_replaced_by_the_laptops_build()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await StartWithoutAgentAsync(world);
        var older = OlderAgent(world.Home);
        (await box.Devbox.ExecAsync("dev", "mkdir", "-p", "/home/dev/.local/bin")).EnsureSuccess();
        await box.Devbox.CopyInAsync(older, Installed, owner: "dev");
        (await box.Devbox.ExecAsync("dev", "chmod", "755", Installed)).EnsureSuccess();
        var olderSha = EndToEndWorld.Sha256(older);
        var recorder = new TransportRecorder { FlipByteAt = LaptopAgent.Length - 1 };
        var environment = world.Environment with { Processes = recorder };

        var tampered = await CliRun.RunAsync(environment, box.PairArguments());

        Assert.True(tampered.ExitCode == ExitCodes.AgentDeliveryFailed, tampered.ToString());
        Assert.Equal(olderSha, await DevboxSha256Async(box));
        Assert.Equal("thopter-agent", await ListLocalBinAsync(box));

        recorder.FlipByteAt = null;
        var paired = JsonNode.Parse((await CliRun.RunAsync(environment, [.. box.PairArguments(), "--json"])).Output)!;

        Assert.Equal("replaced", (string)paired["agent"]!["action"]!);
        Assert.Contains($"{Installed} is older ({OlderVersion}+", (string)paired["agent"]!["reason"]!, StringComparison.Ordinal);
        Assert.Equal(LaptopAgent.Sha256, await DevboxSha256Async(box));
        Assert.StartsWith(DaemonVersion.Current + "+", (await box.Devbox.ExecAsync("dev", Installed, "--version")).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
        Assert.Equal("thopter-agent", await ListLocalBinAsync(box));
    }

    /// <summary>The laptop's version with every non-zero digit made 0: lower, and as long, so it can be written over it.</summary>
    private static string OlderVersion => new([.. DaemonVersion.Current.Select(c => c is >= '1' and <= '9' ? '0' : c)]);

    /// <summary>
    /// The real agent with its version string rewritten to <see cref="OlderVersion"/>: a real agent that reports a lower
    /// version and has other bytes. (A real rebuild at a lower version is a full NativeAOT publish, minutes on this machine.)
    /// </summary>
    private static string OlderAgent(string directory)
    {
        var bytes = File.ReadAllBytes(LaptopAgent.Path);
        var current = Encoding.ASCII.GetBytes(DaemonVersion.Current + "+");
        var at = bytes.AsSpan().IndexOf(current);
        Assert.True(at >= 0, $"the agent binary does not hold its version {DaemonVersion.Current}+");
        Encoding.ASCII.GetBytes(OlderVersion).CopyTo(bytes, at);
        var path = Path.Combine(directory, "thopter-agent-older");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<TestDevbox> StartWithoutAgentAsync(EndToEndWorld world)
    {
        var box = await world.StartDevboxAsync("box1");
        (await box.Devbox.ExecAsync("root", "rm", "/usr/local/bin/thopter-agent")).EnsureSuccess();
        Assert.False((await box.Devbox.ShellAsync("dev", "command -v thopter-agent")).Succeeded);
        return box;
    }

    private static async Task<string> ListLocalBinAsync(TestDevbox box) =>
        (await box.Devbox.ShellAsync("dev", "ls -A ~/.local/bin 2>/dev/null || true")).EnsureSuccess().StandardOutput.Trim();

    private static async Task<string> DevboxSha256Async(TestDevbox box) =>
        (await box.Devbox.ExecAsync("dev", "sha256sum", Installed)).EnsureSuccess().StandardOutput.Split(' ')[0];

    private static async Task<string> StatAsync(TestDevbox box) =>
        (await box.Devbox.ExecAsync("dev", "stat", "-c", "%i %Y %s", Installed)).EnsureSuccess().StandardOutput.Trim();
}
