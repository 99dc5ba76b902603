using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Thopter.Tests.Shared.Identity;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// A devbox whose SyncThing home already holds a SyncThing 2.x identity (Ed25519 certificate, PKCS#8 key, made fresh by
/// openssl for this run, so no test saw it before): the real AOT agent prints the ID SyncThing computes, setup keeps the
/// identity with that ID, and the SyncThing it installs (1.19.2, which runs Ed25519 identities too) answers as it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SyncthingV2IdentityOnDevboxTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo made = Directory.CreateTempSubdirectory("thopter-v2-home-");

    public void Dispose() => made.Delete(recursive: true);

    [Fact]
    public async Task A_2x_identity_is_read_kept_and_run_with_its_own_id()
    {
        var expected = await SyncthingV2Home.GenerateAsync(made.FullName);
        var cert = await File.ReadAllTextAsync(Path.Combine(made.FullName, "cert.pem"));
        var key = await File.ReadAllTextAsync(Path.Combine(made.FullName, "key.pem"));
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        (await devbox.ExecAsync("dev", "mkdir", "-p", AgentCli.SyncthingHome)).EnsureSuccess();
        await devbox.WriteFileAsync($"{AgentCli.SyncthingHome}/cert.pem", cert, owner: "dev", mode: "0644");
        await devbox.WriteFileAsync($"{AgentCli.SyncthingHome}/key.pem", key, owner: "dev", mode: "0600");
        var keyHash = await agent.Sha256Async($"{AgentCli.SyncthingHome}/key.pem");

        var printed = (await agent.RunAsync("--device-id")).EnsureSuccess().StandardOutput.Trim();
        Assert.Equal(expected.ToString(), printed);

        var setup = await agent.SetupAsync();
        var identity = setup.GetProperty("identity");
        output.WriteLine($"setup: identity {identity.GetProperty("action").GetString()} ({identity.GetProperty("reason").GetString()}), device {setup.GetProperty("deviceId").GetString()}");
        Assert.Equal("kept", identity.GetProperty("action").GetString());
        Assert.Equal(expected.ToString(), setup.GetProperty("deviceId").GetString());
        Assert.Equal(0, identity.GetProperty("backups").GetArrayLength());
        Assert.Equal(keyHash, await agent.Sha256Async($"{AgentCli.SyncthingHome}/key.pem"));
        Assert.Equal(expected, await agent.SyncthingReportedIdAsync());

        var (healthy, status) = await agent.StatusAsync();
        Assert.True(healthy, status.ToString());
        Assert.Equal(expected.ToString(), (await agent.SetupAsync()).GetProperty("deviceId").GetString());
    }
}
