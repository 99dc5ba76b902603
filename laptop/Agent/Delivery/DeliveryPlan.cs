using Thopter.Laptop.Daemon;

namespace Thopter.Laptop.Agent.Delivery;

/// <summary>
/// What to do about a devbox's agent, decided from the probe alone: use an agent already there that is the laptop's
/// build (same SHA-256), else send the laptop's. Without a binary for the devbox's machine, an agent already there is
/// used as it is (installed by hand), and only a devbox with none at all is a failure. <see cref="Installed"/> is the
/// agent the devbox has now, if any (the one sending would replace).
/// </summary>
public sealed record DeliveryPlan(string? UsePath, AgentBinary? Send, string Reason, DevboxAgent? Installed)
{
    public static DeliveryPlan Decide(AgentProbe probe, AgentBinary? local, string laptopVersion)
    {
        if (local is null)
        {
            return probe.Agents.FirstOrDefault() is { } found
                ? new DeliveryPlan(found.Path, null, $"this laptop has no agent for {probe.Machine}: using the devbox's own {found.Path} ({found.Version ?? "version unknown"}) as it is", found)
                : new DeliveryPlan(null, null, "no agent on the devbox and none on this laptop for its machine", null);
        }

        if (probe.Agents.FirstOrDefault(a => a.Sha256 == local.Sha256) is { } same)
        {
            return new DeliveryPlan(same.Path, null, "this laptop's build", same);
        }

        var current = probe.Agents.FirstOrDefault();
        return new DeliveryPlan(null, local, current is null ? "no thopter-agent on the devbox" : $"{current.Path} is {Compare(current, laptopVersion)}", current);
    }

    /// <summary>How the devbox's agent differs from the laptop's: older, newer, or another build of the same version.</summary>
    public static string Compare(DevboxAgent agent, string laptopVersion)
    {
        if (agent.Version is null)
        {
            return "an agent that does not say its version";
        }

        var version = agent.Version.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? agent.Version;
        return DaemonVersion.Compare(version, laptopVersion) switch
        {
            < 0 => $"older ({agent.Version}; this laptop's is {laptopVersion})",
            > 0 => $"newer ({agent.Version}; this laptop's is {laptopVersion}): replaced by the laptop's, which is the one it speaks with",
            _ => $"another build ({agent.Version}, SHA-256 {agent.Sha256?[..12] ?? "unknown"}; this laptop's is {laptopVersion})",
        };
    }
}
