using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// The devbox's SyncThing admits only its owner: another local user gets nothing from the GUI/REST port (not even with
/// the CSRF cookie SyncThing hands to whoever loads the GUI page), while the owner's agent, holding the API key from the
/// 0600 config.xml, is served as before. And setup refuses the devbox's own ID as the laptop's.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OwnerOnlyApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Another_user_on_the_devbox_cannot_read_the_rest_config()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        await agent.SetupAsync();
        (await devbox.ExecAsync("root", "useradd", "--create-home", "mallory")).EnsureSuccess();
        var apiKey = (await agent.ConfigAsync()).Gui!.ApiKey;

        // The client works: the owner, with the key, is served.
        var owner = await LoopbackHttp.GetWithCsrfCookieAsync(devbox, "dev", agent.GuiPort, "/rest/system/status", $"X-API-Key: {apiKey}");
        Assert.True(LoopbackHttp.StatusOf(owner) == 200, owner);

        foreach (var path in new[] { "/rest/config", "/rest/system/status", "/rest/config/devices" })
        {
            var stranger = await LoopbackHttp.GetWithCsrfCookieAsync(devbox, "mallory", agent.GuiPort, path);
            output.WriteLine($"mallory GET {path}: {stranger.Split('\n')[0]}");
            Assert.True(LoopbackHttp.StatusOf(stranger) is 401 or 403, $"another user got {path}:\n{stranger[..Math.Min(stranger.Length, 600)]}");
            Assert.DoesNotContain(apiKey, stranger, StringComparison.Ordinal);
        }

        var (healthy, status) = await agent.StatusAsync();
        Assert.True(healthy, status.ToString());
    }

    [Fact]
    public async Task Setup_refuses_the_devbox_own_id_as_the_laptop()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        var self = (await agent.SetupAsync()).GetProperty("deviceId").GetString()!;
        var before = await agent.HomeFingerprintAsync();

        var arguments = agent.SetupArguments().ToArray();
        arguments[Array.IndexOf(arguments, "--laptop-device-id") + 1] = self;
        var result = await agent.RunAsync(arguments);

        output.WriteLine(result.StandardOutput);
        AgentCli.AssertError(result, "laptop-is-self", 48);
        Assert.Contains(self, AgentCli.Json(result).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await agent.HomeFingerprintAsync());
        Assert.True((await agent.StatusAsync()).Healthy);
    }
}
