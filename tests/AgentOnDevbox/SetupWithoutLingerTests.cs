using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// A devbox where dev does not linger yet (the image twin without /var/lib/systemd/linger/dev): no user manager, no
/// user bus. Setup itself must enable lingering through logind (polkit lets dev, as it lets an ssh session:
/// scripts/devbox/self-linger.rules), wait out the user bus's start-up, and end under systemd.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SetupWithoutLingerTests(ITestOutputHelper output)
{
    private const string LingerFile = "/var/lib/systemd/linger/dev";

    [Fact]
    public async Task Setup_enables_lingering_itself_and_ends_healthy_under_systemd()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithoutLinger());
        Assert.False((await devbox.ExecAsync("root", "test", "-e", LingerFile)).Succeeded, "the devbox must start without lingering");
        Assert.NotEqual("active", (await devbox.ExecAsync("root", "systemctl", "is-active", "user@1000.service")).StandardOutput.Trim());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);

        // As over ssh or docker exec: no login session, so no XDG_RUNTIME_DIR and no bus to inherit.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = await agent.SetupAsync(withUserBus: false);
        output.WriteLine($"setup with lingering enabled on the way: {clock.ElapsedMilliseconds} ms\n{first}");

        var supervisor = first.GetProperty("supervisor");
        Assert.Equal("systemd", supervisor.GetProperty("kind").GetString());
        Assert.Equal("enabled", supervisor.GetProperty("linger").GetString());
        Assert.True((await devbox.ExecAsync("root", "test", "-e", LingerFile)).Succeeded, "logind records lingering in " + LingerFile);
        Assert.Equal("active", (await devbox.ExecAsync("root", "systemctl", "is-active", "user@1000.service")).StandardOutput.Trim());
        Assert.True(await agent.UnitActiveAsync());
        var (healthy, status) = await agent.StatusAsync(withUserBus: false);
        Assert.True(healthy, status.ToString());

        var again = await agent.SetupAsync(withUserBus: false);
        Assert.Equal("on", again.GetProperty("supervisor").GetProperty("linger").GetString());
        Assert.Equal("already-running", again.GetProperty("supervisor").GetProperty("action").GetString());
    }
}
