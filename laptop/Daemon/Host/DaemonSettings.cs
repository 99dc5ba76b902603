using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>What one daemon serves: whose home, which settings file, where its socket and log live, the version it reports.</summary>
public sealed record DaemonSettings(string Home, ThopterConfigFile ConfigFile, DaemonPaths Paths)
{
    public string Version { get; init; } = DaemonVersion.Current;

    /// <summary>How long to wait before trying again after SyncThing or the settings failed.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the daemon checks that its HOME, socket and settings still exist (<see cref="HomeWatch"/>).</summary>
    public TimeSpan HomeCheckInterval { get; init; } = TimeSpan.FromSeconds(2);
}
