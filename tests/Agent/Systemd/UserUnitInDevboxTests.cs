using System.Diagnostics;
using Thopter.Agent.Systemd;
using Thopter.Tests.Agent.Supervision;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Docker;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.Agent.Systemd;

/// <summary>
/// The unit text we render, run by a real per-user systemd in a devbox with the real SyncThing:
/// proves its restart rules (crash, exit 3, clean stop) and hardening lines work in a user manager.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UserUnitInDevboxTests(ITestOutputHelper output)
{
    private const string Unit = SyncthingServiceSpec.DefaultUnitName;

    [Fact]
    public async Task Rendered_unit_keeps_SyncThing_running_through_a_crash_and_a_restart_request_and_stops_cleanly()
    {
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var hostDir = Directory.CreateTempSubdirectory("thopter-unit-");
        try
        {
            var home = SyncthingTestHome.Create(Path.Combine(hostDir.FullName, "st"), "devbox-unit");
            (await devbox.ExecAsync("dev", "mkdir", "-p", "/home/dev/bin", "/home/dev/.config/systemd/user")).EnsureSuccess();
            await devbox.CopyInAsync(home.HomeDir, "/home/dev/st", owner: "dev");
            await devbox.CopyInAsync("/usr/bin/syncthing", "/home/dev/bin/syncthing", owner: "dev");
            var spec = new SyncthingServiceSpec("/home/dev/bin/syncthing", "/home/dev/st");
            await devbox.WriteFileAsync(SystemdUserUnit.UnitPath("/home/dev", Unit), SystemdUserUnit.Render(spec), owner: "dev");
            using var api = new HttpClient { BaseAddress = home.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            api.DefaultRequestHeaders.Add("X-API-Key", home.ApiKey);

            (await devbox.ExecAsync("dev", "systemctl", "--user", "daemon-reload")).EnsureSuccess();
            (await devbox.ExecAsync("dev", "systemctl", "--user", "enable", "--now", Unit)).EnsureSuccess();
            var first = await SyncthingStarts.WaitForNewAsync(api, null, () => devbox.JournalTailAsync());
            Assert.Equal("enabled", (await devbox.ExecAsync("dev", "systemctl", "--user", "is-enabled", Unit)).StandardOutput.Trim());

            var mainPid = await PropertyAsync(devbox, "MainPID");
            var clock = Stopwatch.StartNew();
            (await devbox.ExecAsync("root", "kill", "-9", mainPid)).EnsureSuccess();
            var afterCrash = await SyncthingStarts.WaitForNewAsync(api, first, () => devbox.JournalTailAsync());
            output.WriteLine($"kill -9 of MainPID -> REST answering again: {clock.ElapsedMilliseconds} ms");
            Assert.NotEqual(mainPid, await PropertyAsync(devbox, "MainPID"));

            clock.Restart();
            (await api.PostAsync("rest/system/restart", null)).EnsureSuccessStatusCode();
            await SyncthingStarts.WaitForNewAsync(api, afterCrash, () => devbox.JournalTailAsync());
            output.WriteLine($"REST restart (exit 3) -> answering again: {clock.ElapsedMilliseconds} ms");
            Assert.Equal("active", await PropertyAsync(devbox, "ActiveState"));

            (await devbox.ExecAsync("dev", "systemctl", "--user", "stop", Unit)).EnsureSuccess();
            Assert.Equal("inactive", await PropertyAsync(devbox, "ActiveState"));
            Assert.Equal("success", await PropertyAsync(devbox, "Result"));
        }
        finally
        {
            hostDir.Delete(recursive: true);
        }
    }

    private static async Task<string> PropertyAsync(Devbox devbox, string property) =>
        (await devbox.ExecAsync("dev", "systemctl", "--user", "show", "--value", "-p", property, Unit)).EnsureSuccess().StandardOutput.Trim();

}
