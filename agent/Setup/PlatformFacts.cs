using Thopter.Agent.Systemd;

namespace Thopter.Agent.Setup;

/// <summary>
/// What the agent reads about the machine it runs on: the files that say which instance it is (machine-id and the
/// kernel's hostname) and the user it runs as (for lingering). Tests give temporary files and a made-up user.
/// </summary>
public sealed record PlatformFacts(string MachineIdPath, string HostnamePath, string UserName, uint UserId)
{
    public static PlatformFacts Real => new("/etc/machine-id", "/proc/sys/kernel/hostname", Environment.UserName, Libc.GetEffectiveUserId());

    /// <summary>This machine's instance (<see cref="Setup.InstanceId.FromPlatform"/>).</summary>
    public string InstanceId => Setup.InstanceId.FromPlatform(MachineIdPath, HostnamePath);

    public string Hostname => Setup.InstanceId.Hostname(HostnamePath);
}
