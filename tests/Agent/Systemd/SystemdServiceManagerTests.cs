using Xunit;
using Thopter.Agent.Supervision;
using Thopter.Agent.Systemd;

namespace Thopter.Tests.Agent.Systemd;

public sealed class SystemdServiceManagerTests : IDisposable
{
    private const string Unit = SyncthingServiceSpec.DefaultUnitName;

    private readonly string home = Directory.CreateTempSubdirectory("thopter-home-").FullName;
    private readonly FakeSystemdUserManager systemd = new();
    private readonly SyncthingServiceSpec spec;

    public SystemdServiceManagerTests() => spec = new SyncthingServiceSpec("/usr/bin/syncthing", Path.Combine(home, "st"));

    private SystemdServiceManager Manager => new(systemd, home);

    private string UnitPath => SystemdUserUnit.UnitPath(home, Unit);

    private const string Accelerator = SyncthingServiceSpec.AcceleratorUnitName;

    private string AcceleratorPath => SystemdUserUnit.UnitPath(home, Accelerator);

    [Fact]
    public async Task First_run_writes_the_unit_reloads_enables_and_starts()
    {
        var outcome = await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);

        Assert.Equal(["reload", $"enable {Unit}", $"start {Unit}"], systemd.Calls);
        Assert.Equal(SystemdUserUnit.Render(spec), File.ReadAllText(UnitPath));
        Assert.Equal(ServiceAction.Started, outcome.Action);
        Assert.True(outcome.DefinitionChanged);
        Assert.True(outcome.Status.Active);
        Assert.Equal(SupervisorKind.Systemd, outcome.Supervisor);
    }

    [Fact]
    public async Task Serves_only_the_home_its_unit_runs()
    {
        Assert.True(Manager.Serves("/anything"));

        await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);

        Assert.True(Manager.Serves(spec.HomeDirectory));
        Assert.False(Manager.Serves("/nonexistent"));
        Assert.False(Manager.Serves(spec.HomeDirectory + "2"));
    }

    [Fact]
    public async Task Second_run_changes_nothing()
    {
        await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);
        var written = File.GetLastWriteTimeUtc(UnitPath);
        systemd.Calls.Clear();

        var outcome = await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);

        Assert.Equal([$"enable {Unit}"], systemd.Calls);
        Assert.Equal(ServiceAction.AlreadyRunning, outcome.Action);
        Assert.False(outcome.DefinitionChanged);
        Assert.Equal(written, File.GetLastWriteTimeUtc(UnitPath));
    }

    [Fact]
    public async Task A_changed_unit_is_reloaded_and_restarted()
    {
        await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);
        systemd.Calls.Clear();
        var moved = new SyncthingServiceSpec("/opt/syncthing/syncthing", spec.HomeDirectory);

        var outcome = await Manager.EnsureInstalledAndRunningAsync(moved, configChanged: false);

        Assert.Equal(["reload", $"enable {Unit}", $"restart {Unit}"], systemd.Calls);
        Assert.Equal(ServiceAction.Restarted, outcome.Action);
        Assert.Contains("/opt/syncthing/syncthing serve", File.ReadAllText(UnitPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_config_restarts_without_reloading()
    {
        await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);
        systemd.Calls.Clear();

        var outcome = await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: true);

        Assert.Equal([$"enable {Unit}", $"restart {Unit}"], systemd.Calls);
        Assert.Equal(ServiceAction.Restarted, outcome.Action);
    }

    [Fact]
    public async Task A_failed_unit_is_reset_before_it_is_started()
    {
        await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);
        systemd.ActiveState = "failed";
        systemd.Calls.Clear();

        await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);

        Assert.Equal([$"enable {Unit}", $"reset-failed {Unit}", $"start {Unit}"], systemd.Calls);
    }

    [Fact]
    public async Task Remove_stops_disables_deletes_and_reloads_and_is_idempotent()
    {
        await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);
        await Manager.EnsureInstalledAndRunningAsync(new SyncthingServiceSpec("/opt/st", spec.HomeDirectory), configChanged: false);
        systemd.Calls.Clear();

        await Manager.RemoveAsync();
        await Manager.RemoveAsync();

        Assert.Equal([$"stop {Unit}", $"disable {Unit}", "reload"], systemd.Calls);
        Assert.False(File.Exists(UnitPath));
        Assert.False(File.Exists(UnitPath + ".bak"));
        Assert.False(Manager.GetStatus().Installed);
    }

    [Fact]
    public async Task A_spec_for_another_unit_is_refused_before_anything_changes()
    {
        var other = new SyncthingServiceSpec("/usr/bin/syncthing", spec.HomeDirectory, "other.service");

        await Assert.ThrowsAsync<ArgumentException>(() => Manager.EnsureInstalledAndRunningAsync(other, configChanged: false));

        Assert.Empty(systemd.Calls);
        Assert.False(File.Exists(SystemdUserUnit.UnitPath(home, "other.service")));
    }

    [Fact]
    public async Task With_an_agent_binary_the_accelerator_unit_is_written_enabled_and_started_after_syncthing()
    {
        var accelerated = spec with { AgentBinary = "/usr/local/bin/thopter-agent" };

        var outcome = await Manager.EnsureInstalledAndRunningAsync(accelerated, configChanged: false);

        Assert.Equal(["reload", $"enable {Unit},{Accelerator}", $"start {Unit}", $"start {Accelerator}"], systemd.Calls);
        Assert.Equal(AcceleratorUserUnit.Render(accelerated), File.ReadAllText(AcceleratorPath));
        Assert.Equal("active/running", outcome.Accelerator);
        Assert.True(Manager.HasAccelerator());

        systemd.Calls.Clear();
        await Manager.EnsureInstalledAndRunningAsync(accelerated, configChanged: false);
        Assert.Equal([$"enable {Unit},{Accelerator}"], systemd.Calls);
    }

    [Fact]
    public async Task Without_an_agent_binary_an_installed_accelerator_is_stopped_disabled_and_removed()
    {
        await Manager.EnsureInstalledAndRunningAsync(spec with { AgentBinary = "/usr/local/bin/thopter-agent" }, configChanged: false);
        systemd.Calls.Clear();

        var outcome = await Manager.EnsureInstalledAndRunningAsync(spec, configChanged: false);

        Assert.Equal([$"stop {Accelerator}", $"disable {Accelerator}", "reload", $"enable {Unit}"], systemd.Calls);
        Assert.False(File.Exists(AcceleratorPath));
        Assert.Equal("off", outcome.Accelerator);
        Assert.False(Manager.HasAccelerator());
    }

    [Fact]
    public async Task Remove_also_removes_the_accelerator()
    {
        await Manager.EnsureInstalledAndRunningAsync(spec with { AgentBinary = "/usr/local/bin/thopter-agent" }, configChanged: false);
        systemd.Calls.Clear();

        await Manager.RemoveAsync();

        Assert.Equal([$"stop {Accelerator}", $"disable {Accelerator}", $"stop {Unit}", $"disable {Unit}", "reload"], systemd.Calls);
        Assert.False(File.Exists(AcceleratorPath));
        Assert.False(File.Exists(UnitPath));
    }

    public void Dispose() => Directory.Delete(home, recursive: true);
}
