using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// Setup on a systemd devbox that lacks pieces, with a user who does not linger yet: it must reach systemd or the fallback
/// supervisor (or a named exit code with its fix), never internal-error. libsystemd.so.0 is gone from the library path
/// (the agent speaks D-Bus itself): logind refusing lingering gives the fallback with the root fix; once root applied
/// it, systemd is used; then the system bus is gone too, and the fallback supervisor takes over again.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SetupWithoutLibsystemdTests(ITestOutputHelper output)
{
    private const string Hidden = "/opt/hidden-libsystemd";

    [Fact]
    public async Task Without_libsystemd_a_refused_linger_falls_back_with_its_fix_a_lingering_user_gets_systemd_and_no_system_bus_falls_back()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        await StopLingeringAsync(devbox);

        // dbus-daemon itself links libsystemd.so.0, so the library moves out of the loader's path and only the bus
        // daemons (the running system bus, and the user bus through a drop-in) are pointed at it: everything else on
        // the devbox, the agent included, sees a machine without libsystemd.
        (await devbox.ShellAsync("root", $"""
            set -e
            mkdir -p {Hidden} /etc/systemd/user/dbus.service.d
            mv /usr/lib/x86_64-linux-gnu/libsystemd.so.0* {Hidden}/
            ldconfig
            printf '[Service]\nEnvironment=LD_LIBRARY_PATH={Hidden}\n' > /etc/systemd/user/dbus.service.d/hidden-libsystemd.conf
            rm -f /etc/polkit-1/rules.d/50-thopter-self-linger.rules
            sleep 2
            """)).EnsureSuccess();
        Assert.DoesNotContain("libsystemd.so.0", (await devbox.ShellAsync("root", "ldconfig -p")).EnsureSuccess().StandardOutput, StringComparison.Ordinal);

        // No session variables, as over a plain ssh/docker exec: the agent must ask logind itself (over the system bus,
        // without libsystemd). Under polkit's default policy a user outside a login session (as in a docker exec) may not
        // turn on its own lingering (the test image's rule that allows it is removed above, and polkitd itself links libsystemd: logind's answer is a
        // refusal or, when polkitd cannot start, a timeout): that refusal, with the root
        // fix, is the reason for the fallback supervisor.
        var refused = (await SetupAsync(agent)).GetProperty("supervisor");
        Assert.Equal("fallback", refused.GetProperty("kind").GetString());
        Assert.Equal("off", refused.GetProperty("linger").GetString());
        Assert.Contains("could not enable lingering for dev", refused.GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("loginctl enable-linger dev", refused.GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
        Assert.True((await agent.StatusAsync(withUserBus: false)).Healthy);
        (await agent.RunAsync(["uninstall"], withUserBus: false)).EnsureSuccess();

        // The fix applied: with the user manager running, the agent drives it over the user bus, still without libsystemd.
        (await devbox.ExecAsync("root", "loginctl", "enable-linger", "dev")).EnsureSuccess();
        await AgentCli.TimeUntilAsync("dev's user bus after enable-linger", async () => (await devbox.ExecAsync("root", "test", "-S", "/run/user/1000/bus")).Succeeded, TimeSpan.FromSeconds(30));
        var first = (await SetupAsync(agent)).GetProperty("supervisor");
        Assert.Equal("systemd", first.GetProperty("kind").GetString());
        Assert.Equal("started", first.GetProperty("action").GetString());
        Assert.Equal("on", first.GetProperty("linger").GetString());
        Assert.Equal("active/running", first.GetProperty("accelerator").GetString());
        Assert.True(await agent.UnitActiveAsync());

        var again = (await SetupAsync(agent)).GetProperty("supervisor");
        Assert.Equal("systemd", again.GetProperty("kind").GetString());
        Assert.Equal("already-running", again.GetProperty("action").GetString());
        var (healthy, status) = await agent.StatusAsync(withUserBus: false);
        Assert.True(healthy, status.ToString());

        // Now no system bus either: lingering cannot be enabled, so no user manager runs and the fallback must take over.
        (await agent.RunAsync(["uninstall"], withUserBus: false)).EnsureSuccess();
        await StopLingeringAsync(devbox);
        (await devbox.ExecAsync("root", "systemctl", "stop", "dbus.socket", "dbus.service")).EnsureSuccess();
        Assert.False((await devbox.ExecAsync("root", "systemctl", "is-active", "--quiet", "dbus.socket")).Succeeded);

        var fallback = (await SetupAsync(agent)).GetProperty("supervisor");
        Assert.Equal("fallback", fallback.GetProperty("kind").GetString());
        Assert.Equal("off", fallback.GetProperty("linger").GetString());
        Assert.Contains("/run/user/1000/bus", fallback.GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("the system bus is not reachable", fallback.GetProperty("fallbackReason").GetString(), StringComparison.Ordinal);
        var (healthyFallback, fallbackStatus) = await agent.StatusAsync(withUserBus: false);
        Assert.True(healthyFallback, fallbackStatus.ToString());
    }

    private async Task<System.Text.Json.JsonElement> SetupAsync(AgentCli agent)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await agent.SetupAsync(withUserBus: false);
        output.WriteLine($"setup took {clock.ElapsedMilliseconds} ms: {result.GetProperty("supervisor")}");
        return result;
    }

    /// <summary>Turns lingering off and waits until dev's user manager (and with it the user bus) is gone.</summary>
    private static async Task StopLingeringAsync(Devbox devbox)
    {
        (await devbox.ExecAsync("root", "loginctl", "disable-linger", "dev")).EnsureSuccess();
        await AgentCli.TimeUntilAsync(
            "dev's user manager to stop after disable-linger",
            async () => !(await devbox.ExecAsync("root", "systemctl", "is-active", "--quiet", "user@1000.service")).Succeeded
                        && !(await devbox.ExecAsync("root", "test", "-e", "/run/user/1000/bus")).Succeeded,
            TimeSpan.FromSeconds(30));
    }
}
