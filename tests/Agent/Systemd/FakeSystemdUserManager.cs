using Thopter.Agent.Systemd;

namespace Thopter.Tests.Agent.Systemd;

/// <summary>
/// Records the manager calls setup makes, so the decision logic (reload only on change, restart
/// only when needed) is checked without a systemd; the real manager runs in the devbox checks.
/// </summary>
internal sealed class FakeSystemdUserManager : ISystemdUserManager
{
    public List<string> Calls { get; } = [];

    public string ActiveState { get; set; } = "inactive";

    public void Reload() => Calls.Add("reload");

    public void EnableUnitFiles(IReadOnlyList<string> unitNames) => Calls.Add($"enable {string.Join(',', unitNames)}");

    public void DisableUnitFiles(IReadOnlyList<string> unitNames) => Calls.Add($"disable {string.Join(',', unitNames)}");

    public void ResetFailedUnit(string unitName) => Calls.Add($"reset-failed {unitName}");

    public Task StartUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("start", unitName, "active");

    public Task RestartUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("restart", unitName, "active");

    public Task StopUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("stop", unitName, "inactive");

    public UnitState GetUnitState(string unitName) =>
        new("loaded", ActiveState, ActiveState == "active" ? "running" : "dead", ActiveState == "active" ? 4242u : 0u);

    private Task Job(string verb, string unitName, string after)
    {
        Calls.Add($"{verb} {unitName}");
        ActiveState = after;
        return Task.CompletedTask;
    }
}
