using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Agent.Delivery;
using Thopter.Laptop.Cli;
using Thopter.Shared.Devices;
using Thopter.Shared.IO;
using Thopter.Shared.Processes;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Agent.Delivery;

/// <summary>
/// Agent delivery's decisions and its failures, with a fake devbox (<see cref="FakeProcessRunner"/>) and a fake laptop
/// agent file: what is sent, through which argv, and which exit code each failure has. The real agent travels to real
/// devboxes in tests/EndToEnd/AgentDeliveryTests.
/// </summary>
public sealed class AgentDeliveryTests : IDisposable
{
    private static readonly string LaptopId = DeviceId.FromBytes([.. Enumerable.Range(1, 32).Select(i => (byte)i)]).ToString();
    private static readonly string BoxId = DeviceId.FromBytes([.. Enumerable.Range(2, 32).Select(i => (byte)i)]).ToString();
    private readonly TempDirectory home = new();
    private readonly FakeLaptopSyncthing syncthing;
    private readonly FakeProcessRunner devbox = new();
    private byte[] received = [];

    public AgentDeliveryTests()
    {
        AtomicFile.WriteText(home.Combine("st.key"), "fakeKey0123456789abcdefFAKEKEY", AtomicFile.PrivateMode);
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
        devbox.Probe = _ => FakeProcessRunner.Ok(FakeAgentBinary.ProbeAnswer());
        devbox.Respond = Devbox;
    }

    public void Dispose() => home.Dispose();

    private AgentBinaries Binaries { get; set; } = FakeAgentBinary.Binaries;

    private CliEnvironment Environment => new() { Home = home.Path, SyncthingHandler = syncthing.Handler, Processes = devbox, UseDaemon = false, AgentBinaries = Binaries, InteractiveError = true };

    private Task<CliResult> Pair(string transport = "docker exec -u dev box") =>
        CliRun.RunAsync(Environment, "sync", "pair", "box1", "--transport", transport, "--no-wait");

    // The program the transport ran setup with: the word before "setup", wherever the prefix (which may gain -i) ends.
    private string AgentPathOfSetup()
    {
        var arguments = devbox.Runs.Single(r => r.Arguments.Contains("setup")).Arguments.ToList();
        return arguments[arguments.IndexOf("setup") - 1];
    }

    private ProcessResult Devbox(ProcessSpec spec)
    {
        if (FakeAgentBinary.IsUpload(spec))
        {
            using var stdin = new MemoryStream();
            spec.InputWriter!(stdin, CancellationToken.None).GetAwaiter().GetResult();
            received = stdin.ToArray();
            return FakeProcessRunner.Ok("installed /home/dev/.local/bin/thopter-agent\n");
        }

        return spec.Arguments[^1] == "ok" ? FakeProcessRunner.Ok("ok\n")
            : spec.Arguments.Contains("setup") ? FakeProcessRunner.AgentSetup(BoxId)
            : FakeProcessRunner.Fail(2, "unexpected " + string.Join(' ', spec.Arguments));
    }

    [Fact]
    public async Task A_devbox_without_an_agent_is_sent_the_laptops_bytes_through_the_transport_with_stdin_and_runs_that_path()
    {
        var result = await Pair();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllBytes(FakeAgentBinary.Agent.Path), received);
        var upload = devbox.Runs.Single(FakeAgentBinary.IsUpload);
        Assert.Equal(["exec", "-i", "-u", "dev", "box", "sh", "-c"], upload.Arguments.Take(7));
        Assert.Equal([FakeAgentBinary.Agent.Sha256, FakeAgentBinary.Agent.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)], upload.Arguments.TakeLast(2));
        Assert.Equal("/home/dev/.local/bin/thopter-agent", AgentPathOfSetup());
        Assert.Contains("sending thopter-agent", result.Error, StringComparison.Ordinal);
        Assert.Contains("(100 %)", result.Error, StringComparison.Ordinal);
        Assert.Null(devbox.Runs.Single(FakeAgentBinary.IsProbe).InputWriter);
    }

    [Fact]
    public async Task The_same_build_already_on_the_devbox_is_used_where_it_is_and_nothing_is_sent()
    {
        devbox.Probe = _ => FakeProcessRunner.Ok(FakeAgentBinary.ProbeAnswer(
            ("/home/dev/.local/bin/thopter-agent", "0.0.9", new string('a', 64)),
            ("/usr/local/bin/thopter-agent", "0.1.0", FakeAgentBinary.Agent.Sha256)));

        var result = await Pair();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(devbox.Runs, FakeAgentBinary.IsUpload);
        Assert.All(devbox.Runs, r => Assert.Null(r.InputWriter));
        Assert.Equal("/usr/local/bin/thopter-agent", AgentPathOfSetup());
        Assert.Equal("kept", (string)JsonNode.Parse((await CliRun.RunAsync(Environment, "sync", "pair", "box1", "--no-wait", "--json")).Output)!["agent"]!["action"]!);
    }

    [Theory]
    [InlineData("0.0.9+abc", "older (0.0.9+abc")]
    [InlineData("0.1.0+other", "another build (0.1.0+other")]
    [InlineData("9.0.0", "newer (9.0.0")]
    public void A_different_build_is_replaced_and_the_reason_says_how_it_differs(string version, string reason)
    {
        var probe = AgentProbe.Parse(FakeAgentBinary.ProbeAnswer(("/usr/local/bin/thopter-agent", version, new string('b', 64))))!;

        var plan = DeliveryPlan.Decide(probe, FakeAgentBinary.Agent, "0.1.0");

        Assert.Null(plan.UsePath);
        Assert.Same(FakeAgentBinary.Agent, plan.Send);
        Assert.Contains(reason, plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_probe_answer_is_untrusted_text_a_bad_hash_reads_as_unknown_and_amd64_is_x86_64()
    {
        var probe = AgentProbe.Parse("machine amd64\nagent /x/thopter-agent\nversion \u001b[31m1.0\nsha256 not-a-hash\nnoise\n")!;

        Assert.Equal(ElfMachine.X64, probe.Machine);
        var agent = Assert.Single(probe.Agents);
        Assert.Equal("[31m1.0", agent.Version);
        Assert.Null(agent.Sha256);
        Assert.Null(AgentProbe.Parse("agent /x\n"));
    }

    [Fact]
    public async Task An_arm64_devbox_without_an_agent_gets_the_unsupported_machine_code_with_the_build_fix_and_nothing_is_sent()
    {
        devbox.Probe = _ => FakeProcessRunner.Ok("machine aarch64\n");

        var result = await Pair();

        Assert.Equal(ExitCodes.AgentUnsupportedMachine, result.ExitCode);
        Assert.Contains("is a aarch64 machine without thopter-agent", result.Error, StringComparison.Ordinal);
        Assert.Contains("-r linux-arm64", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(devbox.Runs, FakeAgentBinary.IsUpload);
        Assert.Equal(0, syncthing.Writes);
    }

    [Fact]
    public async Task A_laptop_without_any_agent_binary_names_install_sh_and_an_agent_on_the_devbox_is_used_as_found_with_a_warning()
    {
        Binaries = new AgentBinaries(null, home.Combine("no-lib"));

        var missing = await Pair();

        Assert.Equal(ExitCodes.AgentBinaryMissing, missing.ExitCode);
        Assert.Contains("scripts/install.sh", missing.Error, StringComparison.Ordinal);

        devbox.Probe = _ => FakeProcessRunner.Ok(FakeAgentBinary.ProbeAnswer(("/opt/thopter-agent", "0.1.0", new string('c', 64))));
        var found = await Pair();

        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Contains("using the devbox's own /opt/thopter-agent", found.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(devbox.Runs, FakeAgentBinary.IsUpload);
    }

    [Theory]
    [InlineData(90, "received 12 bytes with SHA-256 abc, expected", "arrived changed and was refused")]
    [InlineData(90, "received 0 bytes with SHA-256 e3b0, expected", "does not pass stdin on")]
    [InlineData(91, "no sha256sum, shasum or openssl", "install coreutils")]
    [InlineData(93, "it does not run here: not found", "needs a glibc Linux")]
    [InlineData(92, "cannot write to /home/dev/.local/bin", "free space in ~/.local/bin")]
    public async Task A_refused_upload_has_the_delivery_code_its_reason_and_fix_and_changes_nothing_on_the_laptop(int exit, string stderr, string expected)
    {
        devbox.Respond = spec => FakeAgentBinary.IsUpload(spec) ? FakeProcessRunner.Fail(exit, stderr) : Devbox(spec);

        var result = await Pair();

        Assert.Equal(ExitCodes.AgentDeliveryFailed, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(devbox.Runs, r => r.Arguments.Contains("setup"));
        Assert.Equal(0, syncthing.Writes);
        Assert.Null(JsonNode.Parse(File.ReadAllText(home.Combine(".thopter.json")))!["syncthing"]!["devboxes"]);
    }

    [Fact]
    public void The_laptops_binary_is_read_from_its_ELF_header_a_binary_for_another_machine_is_not_sent()
    {
        var lib = home.Combine("lib", "thopter");
        Directory.CreateDirectory(Path.Combine(lib, "linux-x64"));
        File.WriteAllBytes(Path.Combine(lib, "linux-x64", "thopter-agent"), FakeAgentBinary.Elf(0xB7, 4096));
        var binaries = new AgentBinaries(null, lib);

        Assert.Null(binaries.For(ElfMachine.X64));
        Assert.True(binaries.HasAny);
        File.WriteAllBytes(Path.Combine(lib, "linux-x64", "thopter-agent"), FakeAgentBinary.Elf(0x3E, 4096));
        var binary = binaries.For(ElfMachine.X64)!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(binary.Path))), binary.Sha256);
        Assert.Equal(Path.GetFullPath(home.Combine("lib", "thopter")), AgentBinaries.LibraryBeside(home.Combine("bin", "thopter")));
    }
}
