using Serilog;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Host;
using Thopter.Laptop.Daemon.Service;
using Thopter.Laptop.Errors;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Timing;

namespace Thopter.Laptop.Daemon.Client;

/// <summary>
/// How a command reaches the daemon: connect; start it when nothing answers (through the user service when one is
/// installed, else detached); replace it when it is older than this CLI.
/// </summary>
public sealed class DaemonLauncher(CliEnvironment environment, string? configPath, ILogger log)
{
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The launcher for a command: a non-default --config is passed on to a daemon it starts.</summary>
    public static DaemonLauncher For(CommandContext context) => new(
        context.Environment,
        context.ConfigFile.Path == ThopterConfigFile.DefaultPath(context.Environment.Home) ? null : context.ConfigFile.Path,
        context.Log);

    public DaemonPaths Paths { get; } = DaemonPaths.For(environment.Home, environment.RuntimeDirectory);

    public IUserService Service { get; } = OperatingSystem.IsMacOS()
        ? new LaunchdAgent(environment.Home, environment.Processes)
        : new SystemdUserService(environment.Home, environment.Processes);

    /// <summary>
    /// A connection to a running daemon of this CLI's version, starting or replacing it as needed. A daemon too busy
    /// to answer the first probe only costs a redundant start (which exits at once: the lock is taken); the loop
    /// then meets it and checks its version like any other.
    /// </summary>
    public async Task<DaemonConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new DaemonConnection(Paths.Socket);
        try
        {
            long? started = null;
            while (true)
            {
                var running = await connection.TryVersionAsync(Probe, cancellationToken).ConfigureAwait(false);
                if (running is not null)
                {
                    if (Current(running))
                    {
                        return connection;
                    }

                    log.Information("the daemon is version {Old}, this thopter {New}: restarting it", running.Version, DaemonVersion.Current);
                    await StopAsync(connection, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (started is null)
                {
                    await StartAsync(cancellationToken).ConfigureAwait(false);
                    started = environment.Time.GetTimestamp();
                }
                else if (environment.Time.GetElapsedTime(started.Value) > StartTimeout)
                {
                    throw new ThopterException(
                        ErrorKind.DaemonUnavailable,
                        $"the thopter daemon did not answer on {Paths.Socket} within {StartTimeout.TotalSeconds:0} s of being started",
                        $"see its log ({LogHint}), or run `thopter sync daemon run` in a terminal to see why it stops");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(25), environment.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>True for a daemon of this CLI's version and HOME; throws for one that must not be replaced.</summary>
    private bool Current(VersionReply running)
    {
        if (running.Home != environment.Home)
        {
            throw new ThopterException(
                ErrorKind.DaemonUnavailable,
                $"the thopter daemon on {Paths.Socket} serves HOME={running.Home}, not {environment.Home}",
                "run thopter with the same HOME as that daemon, or unset XDG_RUNTIME_DIR so each HOME gets its own daemon");
        }

        var order = DaemonVersion.Compare(running.Version, DaemonVersion.Current);
        return order > 0
            ? throw new ThopterException(
                ErrorKind.DaemonUnavailable,
                $"the running daemon is version {running.Version}, newer than this thopter ({DaemonVersion.Current})",
                "use the newer thopter, or stop the daemon with `thopter sync daemon stop` and run this again")
            : order == 0;
    }

    /// <summary>Asks the daemon to stop and waits until it has let go of its lock (its process is gone).</summary>
    public async Task StopAsync(DaemonConnection connection, CancellationToken cancellationToken)
    {
        await connection.Api.StopAsync(new StopRequest(), deadline: DateTime.UtcNow + Probe, cancellationToken: cancellationToken).ConfigureAwait(false);
        await Wait.UntilAsync(
            "the thopter daemon to exit",
            _ =>
            {
                using var free = InstanceLock.TryAcquire(Paths.Lock);
                return Task.FromResult(free is not null);
            },
            TimeSpan.FromMilliseconds(25),
            StartTimeout,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where a failing daemon's reason is.</summary>
    public string LogHint => Service.Installed && Service is SystemdUserService
        ? $"`journalctl --user -u {SystemdUserService.UnitName}`"
        : Paths.Log;

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Service.Installed && await Service.AvailableAsync(cancellationToken).ConfigureAwait(false))
        {
            log.Debug("starting the daemon through the {Service}", Service.Describe);
            await Service.StartAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        log.Debug("starting the daemon detached: {Command}", string.Join(' ', environment.SelfCommand));
        IReadOnlyList<string> arguments = configPath is null ? ["sync", "daemon", "run", "--detach"] : ["sync", "daemon", "run", "--detach", "--config", configPath];
        DetachedStart.Start(environment.SelfCommand, arguments, new Dictionary<string, string?>
        {
            ["HOME"] = environment.Home,
            ["XDG_RUNTIME_DIR"] = environment.RuntimeDirectory,
        });
    }
}
