using Thopter.Shared.Processes;

namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>The seam for the long-running children that carry a tunnel: the real one starts processes, tests may start anything.</summary>
public interface ITunnelProcesses
{
    ITunnelProcess Start(ProcessSpec spec);
}

/// <summary>A started <c>&lt;transport&gt; thopter-agent tunnel</c>: its stdin and stdout as raw streams, its end and its last stderr line.</summary>
public interface ITunnelProcess : IDisposable
{
    Stream Input { get; }

    Stream Output { get; }

    int Pid { get; }

    /// <summary>Completes with the exit code once the process has ended and its stderr has been read.</summary>
    Task<int> Exited { get; }

    /// <summary>The last non-empty line the process wrote on stderr (the agent's one-line error), empty when none.</summary>
    string LastErrorLine { get; }

    void Kill();
}
