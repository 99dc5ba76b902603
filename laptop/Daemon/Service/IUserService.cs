namespace Thopter.Laptop.Daemon.Service;

/// <summary>The laptop's service manager for the daemon: a systemd user unit on Linux, a launchd agent on macOS.</summary>
public interface IUserService
{
    /// <summary>"systemd user unit thopter-daemon.service", for messages.</summary>
    string Describe { get; }

    /// <summary>Where its definition file lives.</summary>
    string DefinitionPath { get; }

    bool Installed { get; }

    /// <summary>Whether the service manager answers in this session (a container or a bare VM has none).</summary>
    Task<bool> AvailableAsync(CancellationToken cancellationToken);

    /// <summary>Writes the definition for <paramref name="command"/> (the thopter binary) and starts it. Returns whether the file changed.</summary>
    Task<bool> InstallAsync(IReadOnlyList<string> command, CancellationToken cancellationToken);

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops and removes it. Returns whether it was installed.</summary>
    Task<bool> UninstallAsync(CancellationToken cancellationToken);
}
