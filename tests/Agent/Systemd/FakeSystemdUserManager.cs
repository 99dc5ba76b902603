using Thopter.Agent.Systemd;

namespace Thopter.Tests.Agent.Systemd;

/// <summary>
/// Records the manager calls setup makes, so the decision logic (reload only on change, restart
/// only when needed) is checked without a systemd; the real manager runs in the devbox checks.
/// </summary>
internal sealed class FakeSystemdUserManager : ISystemdUserManager
{
    public List<string> Calls { get; } = [];

    private readonly Dictionary<string, string> _states = [];

    /// <summary>SyncThing's unit's state (the one most tests care about).</summary>
    public string ActiveState
    {
        get => StateOf(SyncthingServiceSpec.DefaultUnitName);
        set => _states[SyncthingServiceSpec.DefaultUnitName] = value;
    }

    public string StateOf(string unitName) => _states.GetValueOrDefault(unitName, "inactive");

    public void SetState(string unitName, string state) => _states[unitName] = state;

    public void Reload() => Calls.Add("reload");

    public void EnableUnitFiles(IReadOnlyList<string> unitNames) => Calls.Add($"enable {string.Join(',', unitNames)}");

    public void DisableUnitFiles(IReadOnlyList<string> unitNames) => Calls.Add($"disable {string.Join(',', unitNames)}");

    public void ResetFailedUnit(string unitName) => Calls.Add($"reset-failed {unitName}");

    public Task StartUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("start", unitName, "active");

    public Task RestartUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("restart", unitName, "active");

    public Task StopUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("stop", unitName, "inactive");

    public UnitState GetUnitState(string unitName)
    {
        var state = StateOf(unitName);
        return new("loaded", state, state == "active" ? "running" : "dead", state == "active" ? 4242u : 0u);
    }

    private Task Job(string verb, string unitName, string after)
    {
        Calls.Add($"{verb} {unitName}");
        _states[unitName] = after;
        return Task.CompletedTask;
    }
}
