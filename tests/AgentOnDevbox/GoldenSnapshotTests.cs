using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// Snapshots and clones (docker commit keeps the disk and /etc/machine-id, a clone gets its own hostname): a clone
/// never keeps the original's SyncThing identity, whether or not prepare-snapshot ran, and the original keeps its own.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GoldenSnapshotTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_clone_gets_its_own_identity_and_the_original_keeps_its()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var original = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(original, mirror);
        var originalId = (await agent.SetupAsync()).GetProperty("deviceId").GetString()!;

        // Snapshot without prepare-snapshot: the clone is another instance, so the copied identity is replaced, by the
        // unit's guard-identity when SyncThing starts at boot or by setup when it gets there first; either way once.
        await using (var careless = await original.SnapshotAsync())
        await using (var clone = await careless.StartCloneAsync())
        {
            var result = await agent.ForClone(clone).SetupAsync();
            var identity = result.GetProperty("identity");
            Assert.Contains(identity.GetProperty("action").GetString(), new[] { "regenerated", "kept" });
            Assert.NotEqual(originalId, result.GetProperty("deviceId").GetString());
            var backups = (await clone.ShellAsync("dev", $"ls {AgentCli.SyncthingHome} | grep -c '\\.clone-'")).StandardOutput.Trim();
            Assert.Equal("2", backups);
            output.WriteLine($"clone without prepare-snapshot: {identity.GetProperty("reason").GetString()}");
        }

        var rerun = await agent.SetupAsync();
        Assert.Equal(originalId, rerun.GetProperty("deviceId").GetString());
        Assert.Equal("kept", rerun.GetProperty("identity").GetProperty("action").GetString());

        // The golden flow: prepare-snapshot, snapshot, three clones, setup on each.
        var prepared = AgentCli.Json((await agent.RunAsync("prepare-snapshot")).EnsureSuccess());
        Assert.Equal(2, prepared.GetProperty("setAside").GetArrayLength());
        Assert.False(await agent.UnitActiveAsync());
        Assert.False((await original.ExecAsync("dev", "test", "-e", AgentCli.SyncthingHome + "/key.pem")).Succeeded);

        await using var golden = await original.SnapshotAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await using var clone = await golden.StartCloneAsync();
            var result = await agent.ForClone(clone).SetupAsync();
            Assert.Equal("created", result.GetProperty("identity").GetProperty("action").GetString());
            Assert.Equal("already-present", result.GetProperty("syncthing").GetProperty("install").GetString());
            ids.Add(result.GetProperty("deviceId").GetString()!);
            output.WriteLine($"MEASURE clone {i}: setup with SyncThing installed but not running: {string.Join(", ", result.GetProperty("timings").EnumerateObject().Select(t => $"{t.Name} {t.Value}"))}");
        }

        Assert.Equal(3, ids.Distinct().Count());
        Assert.DoesNotContain(originalId, ids);
    }
}
