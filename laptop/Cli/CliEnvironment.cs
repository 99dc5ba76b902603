using Serilog.Core;
using Thopter.Laptop.Agent.Delivery;
using Thopter.Shared.Processes;

namespace Thopter.Laptop.Cli;

/// <summary>
/// What a command may know about the outside world, passed in so tests run commands in-process
/// against a temporary HOME and, where no real SyncThing can produce a case, a fake HTTP handler.
/// </summary>
public sealed record CliEnvironment
{
    /// <summary>The user's home directory (HOME).</summary>
    public required string Home { get; init; }

    /// <summary>$XDG_RUNTIME_DIR: the daemon's socket lives in it when set (see Daemon/DaemonPaths).</summary>
    public string? RuntimeDirectory { get; init; }

    /// <summary>
    /// False: init, pair and unpair leave the daemon alone. Only for unit tests whose SyncThing is a fake HTTP handler,
    /// which a daemon (a separate process) could not reach.
    /// </summary>
    public bool UseDaemon { get; init; } = true;

    /// <summary>Transport for SyncThing's REST API; null means real sockets.</summary>
    public HttpMessageHandler? SyncthingHandler { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Runs transports (ssh, docker exec, ...) and the service manager (systemctl, launchctl) on the laptop.</summary>
    public IProcessRunner Processes { get; init; } = new ProcessRunner();

    /// <summary>Where log events go instead of stderr; null (the process's stderr) except in tests that read them.</summary>
    public ILogEventSink? LogSink { get; init; }

    /// <summary>True when stderr is a terminal: progress is shown only then.</summary>
    public bool InteractiveError { get; init; }

    /// <summary>Where kernel settings are read (inotify limits); a directory in tests.</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>Where relative paths on the command line start (`conflicts show PATH`).</summary>
    public string CurrentDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>PATH, to find programs such as syncthing.</summary>
    public string SearchPath { get; init; } = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;

    /// <summary>Where the thopter-agent binaries sent to devboxes are (THOPTER_AGENT_BINARY, else beside this CLI).</summary>
    public AgentBinaries AgentBinaries { get; init; } = AgentBinaries.FromProcess();

    /// <summary>What starts this CLI again, for a service that runs it: the apphost, or `dotnet thopter.dll`.</summary>
    public IReadOnlyList<string> SelfCommand { get; init; } = DefaultSelfCommand();

    public static CliEnvironment FromProcess() => new()
    {
        Home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home
            ? home
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        InteractiveError = !Console.IsErrorRedirected,
        RuntimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"),
    };

    private static IReadOnlyList<string> DefaultSelfCommand()
    {
        var process = Environment.ProcessPath ?? "thopter";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "thopter.dll")]
            : [process];
    }
}
