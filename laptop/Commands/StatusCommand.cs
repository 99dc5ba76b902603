using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Spectre.Console;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Client;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Status;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync status [DEVBOX] [--watch]`: per devbox, whether it is connected (direct or relayed, and where),
/// how complete it is, what it still needs, its conflicts and when it was last seen, as the daemon knows it from
/// SyncThing's event stream. `--watch` redraws on every event the daemon reports (no polling).
/// </summary>
public sealed class StatusCommand : LaptopCommand
{
    private readonly Argument<string?> devbox = new("devbox") { Description = "Only this devbox", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<bool> watch = new("--watch") { Description = "Redraw whenever something changes, until Ctrl+C" };

    public StatusCommand()
        : base("status", "Show each devbox's connection and sync state")
    {
        Arguments.Add(devbox);
        Options.Add(watch);
    }

    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        RunAsync(context, context.Parse.GetValue(devbox), context.Parse.GetValue(watch), cancellationToken);

    private static async Task<int> RunAsync(CommandContext context, string? only, bool watch, CancellationToken cancellationToken)
    {
        var settings = SyncthingSession.LoadInitialized(context);
        if (only is not null)
        {
            DeviceIdCommand.Find(settings, only);
        }

        // The daemon reads the same key: a key file others can read is refused here with its fix, not reported as "not running".
        _ = SyncthingSession.Locate(context, settings);

        var launcher = DaemonLauncher.For(context);
        var request = new StatusRequest { Devbox = only ?? string.Empty };
        using var connection = await launcher.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var status = await FirstCheckedAsync(connection, request, context.Environment.Time, cancellationToken).ConfigureAwait(false);
        if (!SameDevboxes(settings, only, status))
        {
            // ~/.thopter.json changed without the daemon being told (edited by hand, or a pair whose reload could not
            // reach it): status shows what the settings say, so the daemon reads them again first.
            context.Log.Information("the daemon's devboxes differ from {Settings}; reloading it", context.ConfigFile.Path);
            await connection.Api.ReloadAsync(new ReloadRequest(), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken).ConfigureAwait(false);
            status = await FirstCheckedAsync(connection, request, context.Environment.Time, cancellationToken).ConfigureAwait(false);
        }

        if (!watch)
        {
            if (!status.SyncthingReachable)
            {
                throw new ThopterException(ErrorKind.SyncthingUnreachable, $"SyncThing is not running at {status.SyncthingAddress}{(status.LastError.Length > 0 ? $" ({status.LastError})" : string.Empty)}", SyncthingLocator.StartHint);
            }

            Render(context, status, watch: false);
            return ExitCodes.Ok;
        }

        try
        {
            await WatchAsync(context, launcher, request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
        }

        return ExitCodes.Ok;
    }

    private static bool SameDevboxes(SyncSection settings, string? only, StatusReply status) =>
        settings.Devboxes
            .Where(d => only is null || d.Key == only)
            .Select(d => (d.Key, d.Value.DeviceId))
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .SequenceEqual(status.Devboxes.Select(d => (d.Name, d.DeviceId)));

    /// <summary>The status once the daemon has tried SyncThing (a daemon this command just started has not yet).</summary>
    private static async Task<StatusReply> FirstCheckedAsync(DaemonConnection connection, StatusRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = await connection.Api.GetStatusAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        while (!status.SyncthingChecked && time.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
            status = await connection.Api.GetStatusAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return status;
    }

    /// <summary>Draws, then draws again after each event; a daemon that restarts meanwhile is reconnected (and started if need be).</summary>
    private static async Task WatchAsync(CommandContext context, DaemonLauncher launcher, StatusRequest request, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var connection = await launcher.ConnectAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var events = connection.Api.WatchEvents(new EventsRequest(), cancellationToken: cancellationToken);
                Render(context, await connection.Api.GetStatusAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false), watch: true);
                while (await events.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    Render(context, await connection.Api.GetStatusAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false), watch: true);
                }
            }
            catch (RpcException error) when (error.StatusCode is StatusCode.Unavailable or StatusCode.Internal && !cancellationToken.IsCancellationRequested)
            {
                context.Log.Information("lost the daemon ({Status}); reconnecting", error.Status.Detail);
            }
        }
    }

    /// <summary>The route as people read it: the public route is called out, since it goes through third-party servers.</summary>
    private static string RouteText(DevboxState devbox) => devbox.Route switch
    {
        "tunnel" => $"tunnel 127.0.0.1:{devbox.TunnelPort} ({devbox.OpenTunnels} open)",
        "public" => "PUBLIC (discovery + relays)",
        "" => "-",
        var other => other,
    };

    private static void Render(CommandContext context, StatusReply status, bool watch)
    {
        // A daemon older than several folders names only its default folder.
        IEnumerable<string> folderIds = status.LaptopFolders.Count > 0 ? status.LaptopFolders.Select(f => f.FolderId) : status.FolderId.Length == 0 ? [] : [status.FolderId];
        var open = OpenConflicts.Read(ConflictStore.ForHome(context.Environment.Home), folderIds);
        context.Result(StatusJson.Of(status, open));
        foreach (var group in StatusJson.SharedGroups(status))
        {
            context.Warn(SharedIdentities.Describe(group), SharedIdentities.Fix);
        }

        if (context.Json)
        {
            context.Output.Flush();
            return;
        }

        if (watch && context.Environment.InteractiveError)
        {
            context.Output.Write("\u001b[H\u001b[2J");
        }

        if (!status.SyncthingReachable)
        {
            context.Say($"SyncThing does not answer at {status.SyncthingAddress}{(status.LastError.Length > 0 ? $" ({status.LastError})" : string.Empty)}; {SyncthingLocator.StartHint}");
        }

        // First, above the table: while a folder is stopped nothing in it syncs, whatever the rows say.
        IEnumerable<(string Path, string Error, string Fix)> stopped = status.LaptopFolders.Count > 0
            ? status.LaptopFolders.Where(f => f.State == "error").Select(f => (f.FolderPath, f.Error, f.Fix))
            : status.FolderState == "error" ? [(status.FolderPath, status.FolderError, status.FolderFix)] : [];
        foreach (var (path, error, fix) in stopped)
        {
            context.Say($"folder {context.Pretty(path)} is STOPPED by SyncThing: {error}");
            context.Say($"  fix: {fix}");
        }

        if (status.Devboxes.Count == 0)
        {
            context.Say("no devboxes paired yet; pair one with `thopter sync pair NAME --transport \"ssh HOST\"`");
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "DEVBOX", "DEVICE", "ROUTE", "CONNECTED", "ADDRESS", "COMPLETION", "PENDING", "CONFLICTS", "LAST SEEN" })
        {
            table.AddColumn(column);
        }

        foreach (var d in status.Devboxes)
        {
            table.AddRow(
                Markup.Escape(d.Name),
                d.DeviceId.Length >= 7 ? d.DeviceId[..7] : d.DeviceId,
                Markup.Escape(RouteText(d)),
                !d.KnownToSyncthing ? "not in SyncThing" : d.Connected ? (d.Relayed ? "yes (relayed)" : "yes (direct)") : "no",
                Markup.Escape(d.Address.Length > 0 ? d.Address : "-"),
                d.HasCompletion ? d.Completion.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "-",
                d.HasCompletion ? d.NeedItems.ToString(CultureInfo.InvariantCulture) : "-",
                open.ByDevbox.GetValueOrDefault(d.Name).ToString(CultureInfo.InvariantCulture),
                d.Connected ? "now" : Markup.Escape(d.LastSeen.Length > 0 ? d.LastSeen : "never"));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        console.Write(table);
        foreach (var d in status.Devboxes.Where(d => d.Folders.Count > 0))
        {
            context.Say($"{d.Name} folders: {StatusJson.FoldersLine(d)}");
        }

        foreach (var d in status.Devboxes.Where(d => d.TunnelError.Length > 0 && !d.Connected))
        {
            context.Say($"{d.Name}: the last tunnel failed: {d.TunnelError}");
        }

        context.Say($"folder {context.Pretty(status.FolderPath)}: {status.Conflicts} conflict cop{(status.Conflicts == 1 ? "y" : "ies")} in the folder");
        if (open.Total > 0)
        {
            context.Say($"open conflicts set aside: {open.Total} ({open.Describe()}); see `thopter sync conflicts`");
        }

        context.Output.Flush();
    }
}
