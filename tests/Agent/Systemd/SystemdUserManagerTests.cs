using Thopter.Agent.Systemd;
using Thopter.Shared.Timing;
using Xunit;

namespace Thopter.Tests.Agent.Systemd;

/// <summary>
/// SystemdUserManager over a real dbus-daemon against <see cref="FakeSystemdOnBus"/>: jobs end on the JobRemoved signal
/// (even one sent before the job's reply), a failed unit is a <see cref="UnitFailedException"/>, a job that never ends
/// is a timeout with its unit named.
/// </summary>
public sealed class SystemdUserManagerTests(PrivateBus bus) : IClassFixture<PrivateBus>
{
    private const string Unit = "thopter-syncthing.service";

    [Fact]
    public async Task A_job_whose_JobRemoved_arrives_before_its_reply_still_completes_and_subscribes_once()
    {
        await using var systemd = await FakeSystemdOnBus.StartAsync(bus);
        using var connection = await BusConnection.OpenFirstAsync([bus.Address]);
        var manager = new SystemdUserManager(connection) { JobTimeout = TimeSpan.FromSeconds(30) };

        await manager.StartUnitAsync(Unit);
        Assert.True((await manager.GetUnitStateAsync(Unit)).IsActive);
        systemd.JobOutcome = ("done", "inactive", "dead");
        await manager.StopUnitAsync(Unit);

        Assert.True((await manager.GetUnitStateAsync(Unit)).IsStopped);
        Assert.Equal(1, systemd.Subscribes);
    }

    [Fact]
    public async Task A_unit_that_failed_to_start_is_a_UnitFailedException_with_the_journal_hint()
    {
        await using var systemd = await FakeSystemdOnBus.StartAsync(bus);
        systemd.JobOutcome = ("failed", "failed", "failed");
        using var connection = await BusConnection.OpenFirstAsync([bus.Address]);
        var manager = new SystemdUserManager(connection) { JobTimeout = TimeSpan.FromSeconds(30) };

        var error = await Assert.ThrowsAsync<UnitFailedException>(() => manager.StartUnitAsync(Unit));

        Assert.Equal(Unit, error.UnitName);
        Assert.Equal("failed", error.State.ActiveState);
        Assert.Contains($"journalctl --user -u {Unit}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_never_ends_times_out_naming_the_unit()
    {
        await using var systemd = await FakeSystemdOnBus.StartAsync(bus);
        systemd.RemoveJobs = false;
        using var connection = await BusConnection.OpenFirstAsync([bus.Address]);
        var manager = new SystemdUserManager(connection) { JobTimeout = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => manager.StartUnitAsync(Unit).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains(Unit, error.Message, StringComparison.Ordinal);
    }
}
