using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Status;
using Thopter.Laptop.Syncthing;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync status [DEVBOX] [--watch]`: per devbox, whether it is connected (direct or relayed, and where),
/// how complete it is, what it still needs, its conflicts and when it was last seen, as the laptop's SyncThing knows it.
/// </summary>
public static class StatusCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var devbox = new Argument<string?>("devbox") { Description = "Only this devbox", Arity = ArgumentArity.ZeroOrOne };
        var watch = new Option<bool>("--watch") { Description = "Refresh every 2 seconds until Ctrl+C" };
        var command = new Command("status", "Show each devbox's connection and sync state");
        command.Arguments.Add(devbox);
        command.Options.Add(watch);
        CommandRunner.SetAction(command, options, environment, (context, ct) => RunAsync(context, context.Parse.GetValue(devbox), context.Parse.GetValue(watch), ct));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string? only, bool watch, CancellationToken cancellationToken)
    {
        var settings = SyncthingSession.LoadInitialized(context);
        if (only is not null)
        {
            DeviceIdCommand.Find(settings, only);
        }

        using var session = await SyncthingSession.OpenAsync(context, cancellationToken, settings).ConfigureAwait(false);
        while (true)
        {
            var rows = await DevboxStatus.CollectAsync(session, only, cancellationToken).ConfigureAwait(false);
            var folder = await FolderHealth.ReadAsync(session.Client, session.FolderId, session.FolderPath, cancellationToken).ConfigureAwait(false);
            Render(context, session, folder, rows, watch);
            if (!watch)
            {
                return ExitCodes.Ok;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), context.Environment.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Ok;
            }
        }
    }

    private static void Render(CommandContext context, SyncthingSession session, FolderHealth folder, IReadOnlyList<DevboxStatus> rows, bool watch)
    {
        var totalConflicts = ConflictScanner.Scan(session.FolderPath).Count;
        context.Result(new JsonObject
        {
            ["folder"] = session.FolderId,
            ["folderPath"] = session.FolderPath,
            ["folderState"] = folder.State,
            ["folderError"] = folder.Error,
            ["folderFix"] = folder.Fix,
            ["devboxes"] = new JsonArray([.. rows.Select(r => (JsonNode?)r.ToJson())]),
            ["sharedDeviceIds"] = new JsonArray([.. SharedIdentities.Find(rows.Select(r => KeyValuePair.Create(r.Name, r.DeviceId))).Select(g => (JsonNode?)new JsonObject
            {
                ["deviceId"] = g.DeviceId,
                ["devboxes"] = new JsonArray([.. g.Names.Select(n => (JsonNode?)n)]),
            })]),
            ["conflicts"] = totalConflicts,
        });
        foreach (var group in SharedIdentities.Find(rows.Select(r => KeyValuePair.Create(r.Name, r.DeviceId))))
        {
            context.Warn(SharedIdentities.Describe(group), SharedIdentities.Fix);
        }

        if (context.Json)
        {
            return;
        }

        if (watch && context.Environment.InteractiveError)
        {
            context.Output.Write("\u001b[H\u001b[2J");
        }

        if (folder.Stopped)
        {
            // First, above the table: while the folder is stopped nothing syncs, whatever the rows say.
            context.Say($"folder {context.Pretty(session.FolderPath)} is STOPPED by SyncThing: {folder.Error}");
            context.Say($"  fix: {folder.Fix}");
        }

        if (rows.Count == 0)
        {
            context.Say("no devboxes paired yet; pair one with `thopter sync pair NAME --transport \"ssh HOST\"`");
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "DEVBOX", "DEVICE", "CONNECTED", "ADDRESS", "COMPLETION", "PENDING", "CONFLICTS", "LAST SEEN" })
        {
            table.AddColumn(column);
        }

        foreach (var r in rows)
        {
            table.AddRow(
                Markup.Escape(r.Name),
                r.ShortId,
                !r.KnownToSyncthing ? "not in SyncThing" : r.Connected ? (r.Relayed ? "yes (relayed)" : "yes (direct)") : "no",
                Markup.Escape(r.Address ?? "-"),
                r.Completion is { } c ? c.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "-",
                r.NeedItems?.ToString(CultureInfo.InvariantCulture) ?? "-",
                r.Conflicts.ToString(CultureInfo.InvariantCulture),
                r.Connected ? "now" : Markup.Escape(r.LastSeen ?? "never"));
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
        context.Say($"folder {context.Pretty(session.FolderPath)}: {totalConflicts} conflict{(totalConflicts == 1 ? string.Empty : "s")}");
    }
}
