using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Client;
using Thopter.Laptop.Daemon.Host;
using Thopter.Laptop.Errors;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync daemon run|start|stop|status|uninstall`: the laptop's one long-running process (scan accelerator,
/// live status from SyncThing's events, a gRPC API on a private unix socket). `init` installs it as a user service;
/// any command that needs it starts it when it is not running.
/// </summary>
public sealed class DaemonCommand : Command
{
    public DaemonCommand()
        : base("daemon", "The laptop's sync service: scan accelerator and live status (started for you by init and by the commands that need it)")
    {
        Subcommands.Add(new RunCommand());
        Subcommands.Add(new LauncherCommand("start", "Start the daemon unless it runs (replaces an older one)", StartAsync));
        Subcommands.Add(new LauncherCommand("stop", "Stop the daemon (a user service stays installed and starts it at the next login)", StopAsync));
        Subcommands.Add(new LauncherCommand("status", "Whether the daemon runs, its version, socket and service", StatusAsync));
        Subcommands.Add(new LauncherCommand("install", "Install the daemon as a user service (systemd user unit, launchd agent) and start it; `init` does this", InstallAsync));
        Subcommands.Add(new LauncherCommand("uninstall", "Stop the daemon and remove its user service (it then starts on demand)", UninstallAsync));
    }

    /// <summary>`daemon run`: the daemon itself, in the foreground.</summary>
    private sealed class RunCommand : LaptopCommand
    {
        private readonly Option<bool> detach = new("--detach") { Description = "Leave the caller's session and log to the file (how commands start it without a service manager)" };
        private readonly Option<bool> logFile = new("--log-file") { Description = "Log to ~/.local/state/thopter/daemon.log (rotated) instead of stderr" };

        public RunCommand()
            : base("run", "Run the daemon in the foreground until stopped")
        {
            Options.Add(detach);
            Options.Add(logFile);
        }

        public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
            RunAsync(context, context.Parse.GetValue(detach), context.Parse.GetValue(logFile), cancellationToken);
    }

    /// <summary>The subcommands that act on a running or installed daemon through its launcher.</summary>
    private sealed class LauncherCommand(string name, string description, Func<CommandContext, DaemonLauncher, CancellationToken, Task<int>> body)
        : LaptopCommand(name, description)
    {
        public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
            body(context, DaemonLauncher.For(context), cancellationToken);
    }

    private static async Task<int> RunAsync(CommandContext context, bool detach, bool logFile, CancellationToken cancellationToken)
    {
        if (detach)
        {
            SessionLeader.Become();
        }

        var paths = DaemonPaths.For(context.Environment.Home, context.Environment.RuntimeDirectory);
        if (detach || logFile)
        {
            PrivateDirectory.Ensure(paths.StateDirectory);
        }

        await using var logger = DaemonLogging.Create(detach || logFile ? paths.Log : null, context.Verbose, context.LogFormat, context.Environment.LogSink);
        try
        {
            var settings = new DaemonSettings(context.Environment.Home, context.ConfigFile, paths);
            await DaemonHost.RunAsync(settings, logger, context.Environment.Time, ready: null, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception error) when (error is not OperationCanceledException && (detach || logFile))
        {
            // Detached, stderr is /dev/null: the log is where the reason must be.
            logger.Error("the daemon failed: {Reason}", ErrorMapper.Map(error, cancellationToken).Reason);
            throw;
        }
    }

    private static async Task<int> StartAsync(CommandContext context, DaemonLauncher launcher, CancellationToken cancellationToken)
    {
        using var connection = await launcher.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var version = await connection.Api.GetVersionAsync(new VersionRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Say($"thopter daemon {version.Version} running (pid {version.Pid}) on {context.Pretty(launcher.Paths.Socket)}");
        context.Result(new JsonObject { ["running"] = true, ["version"] = version.Version, ["pid"] = version.Pid, ["socket"] = launcher.Paths.Socket });
        return ExitCodes.Ok;
    }

    private static async Task<int> StopAsync(CommandContext context, DaemonLauncher launcher, CancellationToken cancellationToken)
    {
        using var connection = new DaemonConnection(launcher.Paths.Socket);
        var running = await connection.TryVersionAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        if (running is not null)
        {
            await launcher.StopAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        context.Say(running is null ? "the thopter daemon was not running" : $"stopped the thopter daemon (pid {running.Pid})");
        context.Result(new JsonObject { ["stopped"] = running is not null, ["pid"] = running?.Pid });
        return ExitCodes.Ok;
    }

    private static async Task<int> StatusAsync(CommandContext context, DaemonLauncher launcher, CancellationToken cancellationToken)
    {
        using var connection = new DaemonConnection(launcher.Paths.Socket);
        var running = await connection.TryVersionAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        var service = launcher.Service;
        var serviceText = service.Installed ? $"{service.Describe} ({context.Pretty(service.DefinitionPath)})" : "no user service (started on demand)";
        if (running is null)
        {
            throw new ThopterException(ErrorKind.DaemonUnavailable, $"the thopter daemon is not running; {serviceText}", "start it with `thopter sync daemon start` (any command that needs it also starts it)");
        }

        var status = await connection.Api.GetStatusAsync(new StatusRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Say($"thopter daemon {running.Version}, pid {running.Pid}, since {DateTimeOffset.FromUnixTimeSeconds(running.StartedAt):u}");
        context.Say($"socket:      {context.Pretty(launcher.Paths.Socket)}");
        context.Say($"service:     {serviceText}");
        context.Say($"syncthing:   {(status.SyncthingReachable ? $"{status.SyncthingAddress} answers" : "not reachable")}{(status.LastError.Length > 0 ? $" ({status.LastError})" : string.Empty)}");
        context.Say($"accelerator: {(status.Accelerator.Watching ? $"watching {context.Pretty(status.FolderPath)} ({status.Accelerator.WatchedFolders.Count} SyncThing folder(s)), {status.Accelerator.Scans} scans, {status.Accelerator.Failures} failed" : "not watching")}");
        context.Result(new JsonObject
        {
            ["running"] = true,
            ["version"] = running.Version,
            ["pid"] = running.Pid,
            ["socket"] = launcher.Paths.Socket,
            ["service"] = service.Installed ? service.DefinitionPath : null,
            ["syncthingReachable"] = status.SyncthingReachable,
            ["accelerator"] = new JsonObject { ["watching"] = status.Accelerator.Watching, ["scans"] = status.Accelerator.Scans, ["failures"] = status.Accelerator.Failures },
            ["lastError"] = status.LastError.Length > 0 ? status.LastError : null,
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> InstallAsync(CommandContext context, DaemonLauncher launcher, CancellationToken cancellationToken)
    {
        var service = launcher.Service;
        if (!await service.AvailableAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new ThopterException(
                ErrorKind.DaemonUnavailable,
                $"no service manager answers in this session for a {service.Describe}",
                "nothing to do: without one, every command that needs the daemon starts it (`thopter sync daemon start`)");
        }

        var changed = await service.InstallAsync(context.Environment.SelfCommand, cancellationToken).ConfigureAwait(false);
        context.Progress.Step($"{service.Describe}: {context.Pretty(service.DefinitionPath)}{(changed ? string.Empty : " (unchanged)")}");
        return await StartAsync(context, launcher, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> UninstallAsync(CommandContext context, DaemonLauncher launcher, CancellationToken cancellationToken)
    {
        var removed = await launcher.Service.UninstallAsync(cancellationToken).ConfigureAwait(false);
        context.Say(removed ? $"removed the {launcher.Service.Describe}; the daemon now starts on demand" : $"no {launcher.Service.Describe} was installed");
        context.Result(new JsonObject { ["removed"] = removed, ["path"] = launcher.Service.DefinitionPath });
        return ExitCodes.Ok;
    }
}
