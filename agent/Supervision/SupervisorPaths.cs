namespace Thopter.Agent.Supervision;

/// <summary>Where the fallback supervisor keeps its pid file and log: the agent's state directory.</summary>
public sealed record SupervisorPaths(string StateDirectory)
{
    public string PidFile => Path.Combine(StateDirectory, "supervisor.pid");

    public string LogFile => Path.Combine(StateDirectory, "supervisor.log");

    /// <summary>$XDG_STATE_HOME/thopter, else ~/.local/state/thopter.</summary>
    public static SupervisorPaths ForUser(string userHome, Func<string, string?> environment)
    {
        var stateHome = environment("XDG_STATE_HOME");
        var root = string.IsNullOrWhiteSpace(stateHome) || !Path.IsPathRooted(stateHome)
            ? Path.Combine(userHome, ".local", "state")
            : stateHome;
        return new SupervisorPaths(Path.Combine(root, "thopter"));
    }
}
