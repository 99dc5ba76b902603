using System.Text.Json;
using Thopter.Laptop.Daemon.Service;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness.Docker;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>
/// The daemon's systemd user unit under a real user manager: a devbox container (systemd as PID 1, user dev with
/// linger) acting as a Linux laptop, with the NativeAOT thopter (scripts/publish-laptop.sh) copied in.
/// The unit thopter renders, enabled and started by the user manager, goes active only once the daemon notified
/// readiness (Type=notify); kill -9 is repaired by systemd (Restart=on-failure); `daemon stop` leaves it inactive,
/// not failed; `daemon start` then starts it through systemctl, as every command that needs the daemon does.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SystemdUnitUnderUserManagerTests : IAsyncLifetime
{
    private const string Thopter = "/home/dev/.local/bin/thopter";
    private Devbox laptop = null!;

    public async Task InitializeAsync()
    {
        laptop = await Devbox.StartAsync(new DevboxOptions());
        await laptop.ExecAsync("dev", "mkdir", "-p", "/home/dev/.local/bin");
        await laptop.CopyInAsync(LaptopBinary.Path, Thopter, owner: "dev");
    }

    public async Task DisposeAsync() => await laptop.DisposeAsync();

    [Fact]
    public async Task The_rendered_unit_runs_as_a_notify_service_that_systemd_restarts_after_a_kill_9()
    {
        var unit = Path.Combine(Path.GetTempPath(), $"thopter-unit-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(unit, SystemdUserService.Render([Thopter]));
        await laptop.ExecAsync("dev", "mkdir", "-p", "/home/dev/.config/systemd/user");
        await laptop.CopyInAsync(unit, $"/home/dev/.config/systemd/user/{SystemdUserService.UnitName}", owner: "dev");
        File.Delete(unit);
        var enable = await laptop.ExecAsync("dev", "systemctl", "--user", "enable", "--now", SystemdUserService.UnitName);
        Assert.True(enable.Succeeded, enable.ToString());
        var first = await laptop.ExecAsync("dev", Thopter, "sync", "daemon", "status", "--json");
        Assert.True(first.Succeeded, first.ToString());
        var pid = JsonDocument.Parse(first.StandardOutput).RootElement.GetProperty("pid").GetInt32();

        Assert.Equal("active", await UnitAsync("is-active"));
        Assert.Equal("Type=notify", await UnitAsync("show", "-p", "Type"));
        Assert.Equal($"MainPID={pid}", await UnitAsync("show", "-p", "MainPID"));
        var status = await laptop.ExecAsync("dev", Thopter, "sync", "daemon", "status", "--json");
        Assert.True(status.Succeeded, status.ToString());
        Assert.EndsWith("/thopter/daemon.sock", JsonDocument.Parse(status.StandardOutput).RootElement.GetProperty("socket").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("/run/user/", JsonDocument.Parse(status.StandardOutput).RootElement.GetProperty("socket").GetString(), StringComparison.Ordinal);

        (await laptop.ExecAsync("dev", "kill", "-9", pid.ToString(System.Globalization.CultureInfo.InvariantCulture))).EnsureSuccess();
        await Wait.UntilAsync("systemd to restart the daemon", async _ =>
            await UnitAsync("show", "-p", "MainPID") is var main && main != $"MainPID={pid}" && main != "MainPID=0" && await UnitAsync("is-active") == "active",
            TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60), () => laptop.JournalTailAsync(30));
        var again = await laptop.ExecAsync("dev", Thopter, "sync", "daemon", "status", "--json");
        Assert.True(again.Succeeded, again.ToString());
        Assert.NotEqual(pid, JsonDocument.Parse(again.StandardOutput).RootElement.GetProperty("pid").GetInt32());

        var stop = await laptop.ExecAsync("dev", Thopter, "sync", "daemon", "stop");
        Assert.True(stop.Succeeded, stop.ToString());
        await Wait.UntilAsync("the unit to be inactive after stop", async _ => await UnitAsync("is-active") == "inactive",
            TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));

        var start = await laptop.ExecAsync("dev", Thopter, "sync", "daemon", "start");
        Assert.True(start.Succeeded, start.ToString());
        Assert.Equal("active", await UnitAsync("is-active"));
    }

    private async Task<string> UnitAsync(params string[] arguments)
    {
        var result = await laptop.ExecAsync("dev", ["systemctl", "--user", .. arguments, SystemdUserService.UnitName]);
        return result.StandardOutput.Trim();
    }
}
