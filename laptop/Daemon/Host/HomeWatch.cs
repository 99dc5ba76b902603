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
        // Checked from the moment the daemon serves (Kestrel has created the socket): the settings count as gone only
        // once seen, since a daemon may be started before `init` writes them.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(started.SetResult);
        using var timer = new PeriodicTimer(settings.HomeCheckInterval, time);
        try
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            var settingsSeen = File.Exists(settings.ConfigFile.Path);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var settingsThere = File.Exists(settings.ConfigFile.Path);
                settingsSeen |= settingsThere;
                if (Gone(settingsSeen && !settingsThere) is { } what)
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

    private string? Gone(bool settingsRemoved) =>
        !Directory.Exists(settings.Home) ? $"its home {settings.Home}"
        : !File.Exists(settings.Paths.Socket) ? $"its socket {settings.Paths.Socket}"
        : settingsRemoved ? $"{settings.ConfigFile.Path}"
        : null;
}
