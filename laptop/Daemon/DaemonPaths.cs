namespace Thopter.Laptop.Daemon;

/// <summary>
/// Where the daemon keeps its socket, lock and log. The socket's directory is private (0700): Kestrel creates the
/// socket 0755, so the directory is what keeps other users out.
/// </summary>
public sealed record DaemonPaths(string RunDirectory, string StateDirectory)
{
    public const string SocketName = "daemon.sock";

    public string Socket => Path.Combine(RunDirectory, SocketName);

    public string Lock => Path.Combine(RunDirectory, "daemon.lock");

    /// <summary>The control sockets of the ssh connections tunnels share (<see cref="Tunnel.TunnelSshSharing"/>); private like the socket's.</summary>
    public string SshControlDirectory => Path.Combine(RunDirectory, "ssh");

    /// <summary>The log file a daemon started without a service manager writes (rotated: daemon.log, daemon_001.log, ...).</summary>
    public string Log => Path.Combine(StateDirectory, "daemon.log");

    /// <summary>$XDG_RUNTIME_DIR/thopter when the session has one, else ~/.local/state/thopter/run.</summary>
    public static DaemonPaths For(string home, string? runtimeDirectory)
    {
        var state = Path.Combine(home, ".local", "state", "thopter");
        var run = string.IsNullOrEmpty(runtimeDirectory) ? Path.Combine(state, "run") : Path.Combine(runtimeDirectory, "thopter");
        return new DaemonPaths(run, state);
    }
}
