using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// A devbox whose PID 1 is not systemd: every bad input and every release fault ends with its error and leaves the home
/// byte-for-byte as it was; then setup runs SyncThing under the fallback supervisor, which brings it back after kill -9;
/// a corrupt config.xml is backed up and rewritten.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FallbackAndBadInputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Bad_input_changes_nothing_and_the_fallback_supervisor_keeps_syncthing_running()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithoutSystemd());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        await devbox.WriteFileAsync("/home/dev/not-a-key.pem", "not a key\n", owner: "dev");

        var before = await agent.HomeFingerprintAsync();
        var good = agent.SetupArguments().ToList();
        (string Name, string[] Args, string Code, int Exit)[] cases =
        [
            ("laptop id too short", Replace(good, "--laptop-device-id", "ABC"), "invalid-device-id", 40),
            ("laptop id bad check character", Replace(good, "--laptop-device-id", agent.Laptop.ToString()[..^1] + (agent.Laptop.ToString()[^1] == 'A' ? "B" : "A")), "invalid-device-id", 40),
            ("folder ..", Replace(good, "--folder", ".."), "invalid-folder-name", 41),
            ("folder with slash", Replace(good, "--folder", "a/b"), "invalid-folder-name", 41),
            ("folder starting with -", Replace(good, "--folder", "-rf"), "invalid-folder-name", 41),
            ("folder .stfolder", Replace(good, "--folder", ".stfolder"), "invalid-folder-name", 41),
            ("folder with newline", Replace(good, "--folder", "a\nb"), "invalid-folder-name", 41),
            ("gui not loopback", Replace(good, "--gui-address", "0.0.0.0:8384"), "invalid-address", 42),
            ("listen not a url", Replace(good, "--listen", "udp://127.0.0.1:1"), "invalid-address", 42),
            ("signing key not a key", Replace(good, "--signing-key", "/home/dev/not-a-key.pem"), "signing-key-invalid", 29),
            ("mirror unreachable", Replace(good, "--mirror", "http://127.0.0.1:1/"), "mirror-unreachable", 21),
        ];
        foreach (var (name, args, code, exit) in cases)
        {
            var result = await agent.RunAsync(args);
            output.WriteLine($"{name}: exit {result.ExitCode}");
            AgentCli.AssertError(result, code, exit);
            Assert.Equal(before, await agent.HomeFingerprintAsync());
        }

        foreach (var (fault, code, exit) in new[] { (ReleaseFault.WrongChecksum, "checksum-mismatch", 26), (ReleaseFault.BadSignature, "signature-invalid", 28), (ReleaseFault.Truncated, "download-incomplete", 24) })
        {
            mirror.Fault = fault;
            AgentCli.AssertError(await agent.RunAsync(good), code, exit);
            Assert.Equal(before, await agent.HomeFingerprintAsync());
        }

        mirror.Fault = ReleaseFault.None;

        // No user manager: setup falls back to the detached supervisor and says so.
        var first = await agent.SetupAsync(withUserBus: false);
        var supervisor = first.GetProperty("supervisor");
        Assert.Equal("fallback", supervisor.GetProperty("kind").GetString());
        Assert.False(string.IsNullOrWhiteSpace(supervisor.GetProperty("fallbackReason").GetString()));
        Assert.Equal("already-running", (await agent.SetupAsync(withUserBus: false)).GetProperty("supervisor").GetProperty("action").GetString());

        // Bad input on a set-up devbox changes nothing either.
        var configured = await agent.HomeFingerprintAsync();
        AgentCli.AssertError(await agent.RunAsync(Replace(good, "--folder", "..")), "invalid-folder-name", 41);
        AgentCli.AssertError(await agent.RunAsync(Replace(good, "--laptop-device-id", "nope")), "invalid-device-id", 40);
        Assert.Equal(configured, await agent.HomeFingerprintAsync());

        // kill -9 of SyncThing: the supervisor starts it again.
        var pid = await SyncthingPidAsync(devbox);
        (await devbox.ExecAsync("dev", "kill", "-9", pid)).EnsureSuccess();
        var back = await AgentCli.TimeUntilAsync(
            "SyncThing to run again under the fallback supervisor",
            async () => await SyncthingPidAsync(devbox) is { Length: > 0 } now && now != pid && (await agent.StatusAsync(withUserBus: false)).Healthy,
            TimeSpan.FromSeconds(20));
        output.WriteLine($"fallback: kill -9 -> healthy again after {back.TotalMilliseconds:0} ms");
        Assert.True(back < TimeSpan.FromSeconds(15), $"SyncThing took {back} to come back");

        // A corrupt config.xml is backed up, rewritten and reported.
        await devbox.WriteFileAsync(AgentCli.ConfigPath, "<configuration version=\"36\"><device", owner: "dev", mode: "0600");
        var repaired = await agent.SetupAsync(withUserBus: false);
        var warning = Assert.Single(repaired.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.Contains("corrupt-", warning, StringComparison.Ordinal);
        Assert.True(repaired.GetProperty("configChanged").GetBoolean());
        var backups = (await devbox.ShellAsync("dev", $"cat {AgentCli.ConfigPath}.corrupt-*")).EnsureSuccess().StandardOutput;
        Assert.Equal("<configuration version=\"36\"><device", backups);
        Assert.Equal(agent.Laptop, (await agent.ConfigAsync()).Devices.Single(d => d.Id != global::Thopter.Shared.Devices.DeviceId.Parse(repaired.GetProperty("deviceId").GetString()!)).Id);

        (await agent.RunAsync(["uninstall"], withUserBus: false)).EnsureSuccess();
        Assert.Equal(string.Empty, await SyncthingPidAsync(devbox));
    }

    private static string[] Replace(IReadOnlyList<string> args, string option, string value)
    {
        var copy = args.ToArray();
        copy[Array.IndexOf(copy, option) + 1] = value;
        return copy;
    }

    /// <summary>The pid of SyncThing's serving process (its monitor child included, the oldest first), empty when none runs.</summary>
    private static async Task<string> SyncthingPidAsync(Devbox devbox) =>
        (await devbox.ExecAsync("dev", "pgrep", "-o", "-u", "dev", "-f", "syncthing serve")).StandardOutput.Trim();
}
