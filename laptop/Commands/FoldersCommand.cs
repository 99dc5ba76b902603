using System.Globalization;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Folders;
using Thopter.Laptop.Syncthing;

namespace Thopter.Laptop.Commands;

/// <summary>`thopter sync folders`: every folder, its kind, and per devbox whether SyncThing shares it and how far it is in sync.</summary>
public sealed class FoldersCommand() : LaptopCommand("folders", "List the synced folders and, per devbox, what is shared and in sync")
{
    public override async Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        using var session = await SyncthingSession.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var settings = session.Settings;
        var overview = await FolderOverview.ReadAsync(session.Client, settings, context.Environment.Home, cancellationToken).ConfigureAwait(false);
        var folders = new JsonArray();
        foreach (var folder in settings.Folders)
        {
            var links = overview[folder.Name];
            folders.Add((JsonNode)new JsonObject
            {
                ["name"] = folder.Name,
                ["own"] = folder.IsOwn,
                ["laptopPath"] = folder.LaptopPath(context.Environment.Home),
                ["devboxes"] = new JsonArray([.. links.Select(l => (JsonNode?)new JsonObject
                {
                    ["devbox"] = l.Devbox,
                    ["folderId"] = l.FolderId,
                    ["laptopPath"] = l.LaptopPath,
                    ["shared"] = l.Shared,
                    ["completion"] = l.Completion,
                    ["needItems"] = l.NeedItems,
                })]),
            });
            context.Say($"{folder.Name}  {(folder.IsOwn ? "own" : "shared")}  {context.Pretty(folder.LaptopPath(context.Environment.Home))}{(folder.IsOwn ? "/DEVBOX" : string.Empty)}");
            foreach (var link in links)
            {
                var state = !link.Shared ? "NOT SHARED (pair it again)" : link.Completion is >= 100 ? "in sync" : string.Create(CultureInfo.InvariantCulture, $"{link.Completion:0.#} % ({link.NeedItems} items pending)");
                context.Say($"  {link.Devbox,-20} {link.FolderId,-30} {state}");
            }

            if (links.Count == 0)
            {
                context.Say("  (no devbox syncs it yet: `thopter sync pair DEVBOX --folder " + folder.Name + "`)");
            }
        }

        context.Result(new JsonObject { ["folders"] = folders });
        return ExitCodes.Ok;
    }
}
