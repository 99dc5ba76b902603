namespace Thopter.Agent.Systemd;

/// <summary>A unit as systemd sees it right now (org.freedesktop.systemd1.Unit properties).</summary>
public sealed record UnitState(string LoadState, string ActiveState, string SubState, uint MainPid)
{
    public bool IsActive => ActiveState == "active";

    public bool IsStopped => ActiveState is "inactive" or "failed";

    public override string ToString() => $"{ActiveState}/{SubState} (load {LoadState}, main pid {MainPid})";
}

/// <summary>A start or restart ended with the unit in "failed" (its process exits at once, or the start limit was hit).</summary>
public sealed class UnitFailedException(string unitName, UnitState state, string message) : Exception(message)
{
    public string UnitName { get; } = unitName;

    public UnitState State { get; } = state;
}
