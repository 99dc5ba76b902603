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

    public Task ReloadAsync() => Record("reload");

    public Task EnableUnitFilesAsync(IReadOnlyList<string> unitNames) => Record($"enable {string.Join(',', unitNames)}");

    public Task DisableUnitFilesAsync(IReadOnlyList<string> unitNames) => Record($"disable {string.Join(',', unitNames)}");

    public Task ResetFailedUnitAsync(string unitName) => Record($"reset-failed {unitName}");

    public Task StartUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("start", unitName, "active");

    public Task RestartUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("restart", unitName, "active");

    public Task StopUnitAsync(string unitName, CancellationToken cancellationToken = default) => Job("stop", unitName, "inactive");

    public Task<UnitState> GetUnitStateAsync(string unitName)
    {
        var state = StateOf(unitName);
        return Task.FromResult<UnitState>(new("loaded", state, state == "active" ? "running" : "dead", state == "active" ? 4242u : 0u));
    }

    private Task Record(string call)
    {
        Calls.Add(call);
        return Task.CompletedTask;
    }

    private Task Job(string verb, string unitName, string after)
    {
        Calls.Add($"{verb} {unitName}");
        _states[unitName] = after;
        return Task.CompletedTask;
    }
}
