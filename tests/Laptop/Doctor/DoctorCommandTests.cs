using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Devices;
using Thopter.Shared.IO;
using Thopter.Shared.Processes;
using Thopter.Tests.Laptop.Agent.Delivery;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Doctor;

/// <summary>`thopter sync doctor` with an in-memory SyncThing, a fake transport and a fake /proc (the real ones run in tests/EndToEnd).</summary>
public sealed class DoctorCommandTests : IDisposable
{
    private static readonly string LaptopId = Id(1);
    private static readonly string BoxId = Id(2);
    private readonly TempDirectory home = new();
    private readonly FakeLaptopSyncthing syncthing;
    private readonly FakeProcessRunner devbox = new();

    public DoctorCommandTests()
    {
        AtomicFile.WriteText(home.Combine("st.key"), "fakeKey0123456789abcdefFAKEKEY", AtomicFile.PrivateMode);
        Directory.CreateDirectory(home.Combine("code"));
        Directory.CreateDirectory(home.Combine("bin"));
        File.WriteAllText(home.Combine("bin", "syncthing"), string.Empty);
        Directory.CreateDirectory(home.Combine("proc", "sys", "fs", "inotify"));
        Watches(524288);
        File.WriteAllText(home.Combine(".thopter.json"), new JsonObject
        {
            ["syncthing"] = new JsonObject
            {
                ["deviceId"] = LaptopId,
                ["folderName"] = "code",
                ["api"] = new JsonObject { ["keyFile"] = home.Combine("st.key") },
                ["devboxes"] = new JsonObject { ["box1"] = new JsonObject { ["deviceId"] = BoxId, ["transport"] = new JsonArray("ssh", "box1") } },
            },
        }.ToJsonString());
        syncthing = new FakeLaptopSyncthing(LaptopId, "code", home.Combine("code"));
        syncthing.Devices.Add(new JsonObject { ["deviceID"] = BoxId, ["name"] = "box1" });
        syncthing.Connected.Add(BoxId);
        devbox.Respond = Healthy;
    }

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new()
    {
        Home = home.Path,
        SyncthingHandler = syncthing.Handler,
        Processes = devbox,
        ProcRoot = home.Combine("proc"),
        SearchPath = home.Combine("bin"),
        UseDaemon = false,
        AgentBinaries = FakeAgentBinary.Binaries,
    };

    private static string Id(int seed) => DeviceId.FromBytes(Enumerable.Range(seed, 32).Select(i => (byte)i).ToArray()).ToString();

    private void Watches(int limit)
    {
        File.WriteAllText(home.Combine("proc", "sys", "fs", "inotify", "max_user_watches"), $"{limit}\n");
        File.WriteAllText(home.Combine("proc", "sys", "fs", "inotify", "max_user_instances"), "128\n");
    }

    private static ProcessResult Healthy(ProcessSpec spec) => spec.Arguments[^1] switch
    {
        "echo ok" => FakeProcessRunner.Ok("ok\n"),
        "thopter-agent status" => FakeProcessRunner.Ok(new JsonObject { ["healthy"] = true, ["deviceId"] = BoxId }.ToJsonString()),
        var other => FakeProcessRunner.Fail(2, "unexpected " + other),
    };

    private async Task<(CliResult Result, JsonArray Checks)> Doctor()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "doctor", "--json");
        return (result, (JsonArray)JsonNode.Parse(result.Output)!["checks"]!);
    }

    private static JsonNode Check(JsonArray checks, string name) => checks.Single(c => (string)c!["name"]! == name)!;

    [Fact]
    public async Task Two_devboxes_answering_with_one_device_id_fail_the_identity_check()
    {
        // box2 was paired with its own ID, then rebuilt from box1's snapshot keeping box1's identity: both answer as box1.
        var settings = JsonNode.Parse(File.ReadAllText(home.Combine(".thopter.json")))!;
        settings["syncthing"]!["devboxes"]!["box2"] = new JsonObject { ["deviceId"] = Id(3), ["transport"] = new JsonArray("ssh", "box2") };
        File.WriteAllText(home.Combine(".thopter.json"), settings.ToJsonString());

        var (result, checks) = await Doctor();

        Assert.Equal(ExitCodes.ChecksFailed, result.ExitCode);
        var identities = Check(checks, "devbox identities");
        Assert.Equal("fail", (string)identities["outcome"]!);
        Assert.Contains("\"box1\" and \"box2\" answer with one device ID", (string)identities["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Everything_healthy_passes()
    {
        var (result, checks) = await Doctor();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(checks, c => Assert.Contains((string)c!["outcome"]!, new[] { "ok", "skipped" }));
        Assert.Equal("direct, tcp-client 127.0.0.1:22001", (string)Check(checks, "devbox box1 connection")["detail"]!);
        var human = await CliRun.RunAsync(Environment, "sync", "doctor");
        Assert.Contains("all checks passed", human.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_failure_is_reported_with_its_fix_and_the_others_still_run()
    {
        Watches(8192);
        devbox.Respond = _ => FakeProcessRunner.Fail(255, "ssh: connect to host box1 port 22: Connection refused");
        syncthing.Connected.Clear();
        File.Delete(home.Combine("bin", "syncthing"));

        var (result, checks) = await Doctor();

        Assert.Equal(ExitCodes.ChecksFailed, result.ExitCode);
        Assert.Equal("fail", (string)Check(checks, "inotify watches")["outcome"]!);
        Assert.Contains("sysctl", (string)Check(checks, "inotify watches")["fix"]!, StringComparison.Ordinal);
        Assert.Contains("Connection refused", (string)Check(checks, "devbox box1 reachable")["detail"]!, StringComparison.Ordinal);
        Assert.Equal("fail", (string)Check(checks, "devbox box1 connection")["outcome"]!);
        Assert.Equal("fail", (string)Check(checks, "syncthing installed")["outcome"]!);
        Assert.Equal("ok", (string)Check(checks, "folder")["outcome"]!);
        var human = await CliRun.RunAsync(Environment, "sync", "doctor");
        Assert.Contains("FAIL  inotify watches", human.Output, StringComparison.Ordinal);
        Assert.Contains("fix: ", human.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_syncthing_gui_fails_with_init_as_the_fix()
    {
        syncthing.Gui = new JsonObject { ["user"] = "", ["password"] = "", ["authMode"] = "static" };

        var (result, checks) = await Doctor();

        Assert.Equal(ExitCodes.ChecksFailed, result.ExitCode);
        var gui = Check(checks, "syncthing gui");
        Assert.Equal("fail", (string)gui["outcome"]!);
        Assert.Contains("read /rest/config", (string)gui["detail"]!, StringComparison.Ordinal);
        Assert.Contains("thopter sync init", (string)gui["fix"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gui_user_without_a_password_set_by_the_user_fails_and_is_left_alone()
    {
        syncthing.Gui = new JsonObject { ["user"] = "me", ["password"] = "", ["authMode"] = "static" };

        var (result, checks) = await Doctor();

        Assert.Equal(ExitCodes.ChecksFailed, result.ExitCode);
        Assert.Equal("fail", (string)Check(checks, "syncthing gui")["outcome"]!);
        Assert.Contains("Actions > Settings > GUI", (string)Check(checks, "syncthing gui")["fix"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(syncthing.Handler.Requests, r => r.Method != HttpMethod.Get);
    }

    [Fact]
    public async Task The_users_own_gui_login_passes()
    {
        syncthing.Gui = new JsonObject { ["user"] = "me", ["password"] = "$2a$10$" + new string('m', 53), ["authMode"] = "static" };

        var (_, checks) = await Doctor();

        Assert.Equal("ok", (string)Check(checks, "syncthing gui")["outcome"]!);
        Assert.Contains("your own GUI login (user \"me\")", (string)Check(checks, "syncthing gui")["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncThing_down_fails_its_check_but_devboxes_are_still_checked()
    {
        syncthing.Down = true;

        var (result, checks) = await Doctor();

        Assert.Equal(ExitCodes.ChecksFailed, result.ExitCode);
        Assert.Equal("fail", (string)Check(checks, "syncthing running")["outcome"]!);
        Assert.Equal("ok", (string)Check(checks, "devbox box1 reachable")["outcome"]!);
    }

    [Fact]
    public async Task A_devbox_with_a_new_identity_fails_with_pair_as_the_fix()
    {
        devbox.Respond = spec => spec.Arguments[^1] == "thopter-agent status"
            ? FakeProcessRunner.Ok(new JsonObject { ["healthy"] = true, ["deviceId"] = Id(7) }.ToJsonString())
            : Healthy(spec);

        var (_, checks) = await Doctor();

        Assert.Contains("thopter sync pair box1", (string)Check(checks, "devbox box1 identity")["fix"]!, StringComparison.Ordinal);
    }
}
