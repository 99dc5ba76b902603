using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// Stops the daemon once what it serves is gone: its HOME, its socket (the private run directory was removed), or the
/// ~/.thopter.json it had read. Nothing could reach or configure it any more, so without this a daemon whose temporary
/// HOME was deleted (a test, a throwaway account) would run forever. Polled: a watch on a directory that is about to
/// disappear tells nothing reliable.
/// </summary>
public sealed class HomeWatch(DaemonSettings settings, IHostApplicationLifetime lifetime, ILoggerFactory logs, TimeProvider time) : BackgroundService
{
    private readonly ILogger log = logs.CreateLogger("daemon");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The socket and the settings count as gone only once seen: Kestrel may bind after this starts, and a daemon may
        // be started before `init` writes the settings.
        var settingsSeen = false;
        var socketSeen = false;
        using var timer = new PeriodicTimer(settings.HomeCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var settingsThere = File.Exists(settings.ConfigFile.Path);
                var socketThere = File.Exists(settings.Paths.Socket);
                settingsSeen |= settingsThere;
                socketSeen |= socketThere;
                if (Gone(socketSeen && !socketThere, settingsSeen && !settingsThere) is { } what)
                {
                    log.LogWarning("{What} is gone: the daemon has nothing left to serve and stops", what);
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping for another reason.
        }
    }

    private string? Gone(bool socketRemoved, bool settingsRemoved) =>
        !Directory.Exists(settings.Home) ? $"its home {settings.Home}"
        : socketRemoved ? $"its socket {settings.Paths.Socket}"
        : settingsRemoved ? $"{settings.ConfigFile.Path}"
        : null;
}
