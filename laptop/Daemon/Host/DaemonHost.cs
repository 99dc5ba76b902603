using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;
using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.State;
using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Laptop.Errors;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// Runs the daemon until it is stopped: one instance per user (a lock), gRPC over a unix socket in a private
/// directory, systemd notification when run as a Type=notify unit, and the <see cref="LaptopMonitor"/>.
/// </summary>
public static class DaemonHost
{
    /// <param name="ready">Called once the socket answers (tests use it; the CLI does not need it).</param>
    public static async Task RunAsync(DaemonSettings settings, Serilog.ILogger logger, TimeProvider time, Action? ready, CancellationToken cancellationToken)
    {
        var paths = settings.Paths;
        PrivateDirectory.Ensure(paths.StateDirectory);
        PrivateDirectory.Ensure(paths.RunDirectory);
        using var instance = InstanceLock.TryAcquire(paths.Lock) ?? throw new ThopterException(
            ErrorKind.DaemonRunning,
            $"a thopter daemon is already running for this user ({paths.Socket})",
            "use it (`thopter sync daemon status`), or stop it first with `thopter sync daemon stop`");

        // The lock says nobody serves this socket any more: it is left over from a daemon that died.
        File.Delete(paths.Socket);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = paths.StateDirectory });
        builder.Host.UseSystemd();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(paths.Socket, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<EventHub>();
        builder.Services.AddSingleton<LaptopState>();
        builder.Services.AddSingleton<ITunnelProcesses, TunnelProcesses>();
        builder.Services.AddSingleton(services => new TunnelRoutes(
            services.GetRequiredService<ITunnelProcesses>(),
            new Thopter.Shared.Processes.ProcessRunner(),
            settings.ConfigFile,
            paths.SshControlDirectory,
            services.GetRequiredService<LaptopState>().IsConnected,
            time,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("tunnel")));
        builder.Services.AddSingleton<LaptopMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LaptopMonitor>());
        ConflictCollection.AddTo(builder.Services);
        builder.Services.AddHostedService<HomeWatch>();

        await using var app = builder.Build();
        app.MapGrpcService<DaemonService>();

        // Event streams end when stopping begins, or Kestrel would wait out its shutdown timeout for them.
        app.Lifetime.ApplicationStopping.Register(app.Services.GetRequiredService<EventHub>().Complete);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(paths.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        logger.Information("thopter daemon {Version} (pid {Pid}) listening on {Socket}", settings.Version, Environment.ProcessId, paths.Socket);
        ready?.Invoke();
        try
        {
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(paths.Socket);
            logger.Information("thopter daemon stopped");
        }
    }
}
