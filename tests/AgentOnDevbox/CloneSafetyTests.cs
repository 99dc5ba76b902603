using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// A snapshot of a set-up devbox (docker commit keeps the disk, the enabled unit and /etc/machine-id; a clone gets its
/// own hostname). Nobody runs setup on the clone: SyncThing starts at boot by itself and must not be the original, nor
/// share the original's API key or HTTPS key. prepare-snapshot acts on the home it is given only and lets the original
/// keep its identity.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CloneSafetyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_clone_nobody_set_up_never_starts_syncthing_as_the_original()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var original = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(original, mirror);
        var originalId = DeviceId.Parse((await agent.SetupAsync()).GetProperty("deviceId").GetString()!);
        var originalKey = (await agent.ConfigAsync()).Gui!.ApiKey;
        await WaitForFileAsync(original, AgentCli.SyncthingHome + "/https-key.pem");
        var originalHttpsKey = await agent.Sha256Async(AgentCli.SyncthingHome + "/https-key.pem");

        // The clone takes over the original's ports (devboxes share the host network), so the original goes down first.
        await using var snapshot = await original.SnapshotAsync();
        await original.StopAsync();
        await using var clone = await snapshot.StartCloneAsync();

        DeviceId? served = null;
        string cloneKey = string.Empty;
        await Wait.UntilAsync(
            "the clone's SyncThing, started at boot, to answer its API",
            async ct =>
            {
                cloneKey = SyncthingConfigKey(await clone.ReadFileAsync(AgentCli.ConfigPath, cancellationToken: ct));
                using var api = new SyncthingRestClient(new Uri($"http://127.0.0.1:{agent.GuiPort}/"), new SyncthingApiKey(cloneKey), requestTimeout: TimeSpan.FromSeconds(3));
                try
                {
                    served = DeviceId.Parse((await api.GetSystemStatusAsync(ct)).MyId);
                    return true;
                }
                catch (SyncthingApiException)
                {
                    return false;
                }
            },
            TimeSpan.FromMilliseconds(250),
            TimeSpan.FromSeconds(90),
            async () => await clone.JournalTailAsync());

        output.WriteLine($"original {originalId}, the clone's SyncThing at boot serves {served}");
        Assert.NotEqual(originalId, served);
        Assert.NotEqual(originalKey, cloneKey);
        await WaitForFileAsync(clone, AgentCli.SyncthingHome + "/https-key.pem");
        Assert.NotEqual(originalHttpsKey, await agent.ForClone(clone).Sha256Async(AgentCli.SyncthingHome + "/https-key.pem"));

        // The original's identity is kept on the clone only as a private backup, never as the live one.
        var backups = (await clone.ShellAsync("dev", $"stat -c '%a %n' {AgentCli.SyncthingHome}/key.pem.*")).EnsureSuccess().StandardOutput;
        Assert.StartsWith("600 ", backups, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_snapshot_acts_only_on_its_home_and_the_original_keeps_its_identity()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var original = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(original, mirror);
        var originalId = (await agent.SetupAsync()).GetProperty("deviceId").GetString()!;
        var keySha = await agent.Sha256Async(AgentCli.SyncthingHome + "/key.pem");

        // Another home: nothing there to prepare, and the real service is left alone.
        var before = await agent.HomeFingerprintAsync();
        var wrongHome = await agent.RunAsync("prepare-snapshot", "--home", "/nonexistent");
        output.WriteLine(wrongHome.StandardOutput);
        AgentCli.AssertError(wrongHome, "not-set-up", 50);
        Assert.True(await agent.UnitActiveAsync());
        Assert.Equal(before, await agent.HomeFingerprintAsync());

        var prepared = AgentCli.Json((await agent.RunAsync("prepare-snapshot")).EnsureSuccess());
        output.WriteLine(prepared.ToString());
        Assert.False(await agent.UnitActiveAsync());
        Assert.False((await original.ExecAsync("dev", "test", "-e", AgentCli.SyncthingHome + "/key.pem")).Succeeded);

        await using var golden = await original.SnapshotAsync();

        // The original comes back as itself.
        var again = await agent.SetupAsync();
        Assert.Equal(originalId, again.GetProperty("deviceId").GetString());
        Assert.Equal("restored", again.GetProperty("identity").GetProperty("action").GetString());
        Assert.Equal(keySha, await agent.Sha256Async(AgentCli.SyncthingHome + "/key.pem"));

        // A clone of the golden image makes its own.
        await original.StopAsync();
        await using var clone = await golden.StartCloneAsync();
        var cloned = await agent.ForClone(clone).SetupAsync();
        Assert.NotEqual(originalId, cloned.GetProperty("deviceId").GetString());
        Assert.Equal("created", cloned.GetProperty("identity").GetProperty("action").GetString());
    }

    private static string SyncthingConfigKey(string configXml) =>
        Thopter.Shared.Config.SyncthingConfigDocument.Parse(configXml).Gui?.ApiKey ?? string.Empty;

    private static Task WaitForFileAsync(Devbox devbox, string path) =>
        Wait.UntilAsync($"{path} in {devbox}", async _ => (await devbox.ExecAsync("dev", "test", "-e", path)).Succeeded,
            TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
}
