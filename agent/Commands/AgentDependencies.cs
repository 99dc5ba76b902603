using System.Runtime.InteropServices;
using Serilog.Core;
using Thopter.Agent.Install;
using Thopter.Agent.Setup;
using Thopter.Agent.Tunnel;
using Thopter.Shared.Processes;

namespace Thopter.Agent.Commands;

/// <summary>
/// Every side effect a command may have, passed in by hand: Program.cs builds the real ones, tests pass fakes
/// (an HttpMessageHandler, an IProcessRunner, a temp directory as the user's home, a sink capturing the logs, the
/// machine's identity files, a service manager of their own).
/// </summary>
public sealed record AgentDependencies(
    HttpMessageHandler Http,
    IProcessRunner Processes,
    TimeProvider Time,
    string UserHome,
    Architecture Architecture)
{
    /// <summary>Where log events go instead of stderr; null (the process's stderr) except in tests that read them.</summary>
    public ILogEventSink? LogSink { get; init; }

    /// <summary>Progress meters are drawn only on a terminal; redirected stderr gets log lines alone.</summary>
    public bool StderrIsTerminal { get; init; }

    /// <summary>The raw stdin/stdout the tunnel copies (fd 0 and 1; tests pass pipes).</summary>
    public Func<TunnelStdio> OpenStdio { get; init; } = ProcessStdio.Open;

    /// <summary>Who holds the listener a tunnel reached, for a SyncThing home (the real /proc; tests of the tunnel in-process may point elsewhere).</summary>
    public Func<string, ListenerOwner> Listeners { get; init; } = ListenerOwner.ThisMachine;

    public DownloadOptions Download { get; init; } = DownloadOptions.Default;

    /// <summary>The machine's machine-id, hostname and user.</summary>
    public PlatformFacts Platform { get; init; } = PlatformFacts.Real;

    /// <summary>Lingering and SyncThing's service manager (systemd over D-Bus, or the fallback supervisor).</summary>
    public IServiceManagerFactory Services { get; init; } = SystemServiceManagerFactory.Instance;

    /// <summary>SyncThing's home when --home is not given (the layout SyncThing v2 uses; v1 accepts it via --home).</summary>
    public string DefaultSyncthingHome => Path.Combine(UserHome, ".local", "state", "syncthing");
}
