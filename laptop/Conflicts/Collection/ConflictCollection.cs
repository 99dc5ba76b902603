using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Thopter.Laptop.Commands;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Host;
using Thopter.Laptop.Daemon.State;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Conflicts.Collection;

/// <summary>
/// The daemon's conflict collection: a sweep of every laptop folder (each shared folder, each devbox's own folder) when the daemon starts (copies left by earlier
/// versions, or made while it was not running), whenever SyncThing comes back or a devbox connects (copies made while
/// offline), whenever SyncThing indexes a conflict copy (made here or arriving from a devbox), and every half minute
/// as a safety net. Each collected version is announced on the event stream and, unless
/// <c>syncthing.notifyConflicts</c> is false, as a desktop notification.
/// </summary>
public sealed class ConflictCollection(DaemonSettings settings, EventHub events, IDesktopNotifier notifier, ILoggerFactory logs, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(250);
    private readonly ILogger log = logs.CreateLogger("conflicts");

    /// <summary>Registers the collection and its notifier with the daemon.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<IDesktopNotifier>(_ => DesktopNotifier.ForThisLaptop());
        services.AddHostedService<ConflictCollection>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var triggers = events.Subscribe(stoppingToken);
        var next = SafetyNet;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                next = await SweepAsync(stoppingToken).ConfigureAwait(false) > 0 ? Retry : SafetyNet;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                log.LogWarning("collecting conflict copies failed: {Error}", error.Message);
                events.Publish(Event(string.Empty, $"collecting conflict copies failed: {error.Message}", DaemonEvent.Types.Kind.Error));
                next = SafetyNet;
            }

            if (!await WaitForTriggerAsync(triggers, next, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>One sweep of every laptop SyncThing folder (shared and own); returns how many copies were still changing.</summary>
    private async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var saved = settings.ConfigFile.Load();
        if (saved.DeviceId is null)
        {
            return 0;
        }

        using var client = TryClient(saved);
        IVersionOrigins origins = client is null ? new NoVersionOrigins() : new RestVersionOrigins(client);
        var collector = new ConflictCollector(ConflictStore.ForHome(settings.Home), origins, time);
        var unsettled = 0;
        foreach (var target in DeviceNames.TargetsOf(saved, settings.Home))
        {
            CollectionResult result;
            try
            {
                result = await collector.SweepAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // One unreadable folder must not keep the others' copies in their trees.
                log.LogWarning("collecting conflict copies of {FolderId} failed: {Error}", target.FolderId, error.Message);
                events.Publish(Event(string.Empty, $"collecting conflict copies of {target.FolderId} failed: {error.Message}", DaemonEvent.Types.Kind.Error));
                continue;
            }

            foreach (var record in result.Collected)
            {
                await AnnounceAsync(record, saved.NotifyConflicts != false, cancellationToken).ConfigureAwait(false);
            }

            unsettled += result.Unsettled;
        }

        return unsettled;
    }

    private Shared.Rest.SyncthingRestClient? TryClient(SyncSection saved)
    {
        try
        {
            return SyncthingLocator.Locate(InitCommand.FromSaved(saved.Api), settings.Home).CreateClient(null);
        }
        catch (ThopterException error)
        {
            log.LogDebug("no SyncThing to ask who made conflict copies: {Error}", error.Message);
            return null;
        }
    }

    private async Task AnnounceAsync(ConflictRecord record, bool notify, CancellationToken cancellationToken)
    {
        var devbox = Involved(record);
        var detail = ConflictText.Collected(record);
        log.LogInformation("conflict collected: {Detail}", detail);
        events.Publish(Event(devbox, detail, DaemonEvent.Types.Kind.ConflictCollected));
        if (notify && !await notifier.NotifyAsync($"thopter: conflict on {record.Original}", detail, cancellationToken).ConfigureAwait(false))
        {
            log.LogDebug("no desktop notification shown for {Original}", record.Original);
        }
    }

    /// <summary>The devbox a conflict concerns first: the side set aside unless it is the laptop's (empty when unknown).</summary>
    public static string Involved(ConflictRecord record) => DevboxesOf(record).FirstOrDefault(string.Empty);

    /// <summary>
    /// Every paired devbox a conflict concerns, the side set aside first: one when it was the laptop's against a devbox's,
    /// both when two devboxes conflicted at the hub, none when no paired devbox is named.
    /// </summary>
    public static IReadOnlyList<string> DevboxesOf(ConflictRecord record) =>
        [.. new[] { record.Aside.Devbox, record.Current.Devbox }.OfType<string>().Where(d => d != DeviceNames.Laptop).Distinct(StringComparer.Ordinal)];

    private DaemonEvent Event(string devbox, string detail, DaemonEvent.Types.Kind kind) =>
        new() { Kind = kind, Devbox = devbox, Detail = detail, Time = time.GetUtcNow().ToUnixTimeMilliseconds() };

    /// <summary>
    /// Waits until an event says a conflict copy may have appeared (or <paramref name="timeout"/> passes); false when
    /// the daemon stops.
    /// </summary>
    private async Task<bool> WaitForTriggerAsync(ChannelReader<DaemonEvent> triggers, TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var wait = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(wait.Token, stoppingToken);
        try
        {
            while (true)
            {
                var item = await triggers.ReadAsync(either.Token).ConfigureAwait(false);
                if (item.Kind is DaemonEvent.Types.Kind.Conflict or DaemonEvent.Types.Kind.SyncthingUp or DaemonEvent.Types.Kind.Reloaded or DaemonEvent.Types.Kind.Connected)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            return false;
        }
    }
}
