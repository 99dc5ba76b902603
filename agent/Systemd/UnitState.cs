namespace Thopter.Agent.Systemd;

/// <summary>A unit as systemd sees it right now (org.freedesktop.systemd1.Unit properties).</summary>
public sealed record UnitState(string LoadState, string ActiveState, string SubState, uint MainPid)
{
    public bool IsActive => ActiveState == "active";

    public bool IsStopped => ActiveState is "inactive" or "failed";

    public override string ToString() => $"{ActiveState}/{SubState} (load {LoadState}, main pid {MainPid})";
}
