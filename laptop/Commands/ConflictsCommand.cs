using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync conflicts [show PATH | resolve PATH --keep current|aside|both | purge --older-than DAYS]`: the
/// conflicts in the store (~/.local/state/thopter/conflicts), where the daemon moves SyncThing's conflict copies.
/// Each command first collects copies still in the folder itself (the daemon is not running, or has not seen them
/// yet), with the same collector, so the store is the one place conflicts are settled.
/// </summary>
public sealed class ConflictsCommand : LaptopCommand
{
    public ConflictsCommand()
        : base("conflicts", "List open conflicts: versions SyncThing could not merge, set aside in ~/.local/state/thopter/conflicts")
    {
        Subcommands.Add(new ShowCommand());
        Subcommands.Add(new ResolveCommand());
        Subcommands.Add(new PurgeCommand());
    }

    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => RunAsync(context, cancellationToken, List);

    private static Argument<string> PathArgument() =>
        new("path") { Description = "The file in conflict (or its conflict copy's name, when it has several): a full path, or relative to the current directory or to its synced folder" };

    /// <summary>`conflicts show PATH`.</summary>
    private sealed class ShowCommand : LaptopCommand
    {
        private readonly Argument<string> path = PathArgument();

        public ShowCommand()
            : base("show", "Print both versions of a conflict (a diff for text)")
        {
            Arguments.Add(path);
        }

        public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
            RunAsync(context, cancellationToken, (c, store, folders) => Show(c, store, Find(c, store, folders, c.Parse.GetValue(path)!)));
    }

    /// <summary>`conflicts resolve PATH --keep current|aside|both`.</summary>
    private sealed class ResolveCommand : LaptopCommand
    {
        private readonly Argument<string> path = PathArgument();
        private readonly Option<string> keep = new("--keep")
        {
            Description = "current: the version in the folder; aside: the set-aside one goes back in place (the replaced one into the store); both: the set-aside one restored beside it as NAME.from-WHO.EXT",
            Required = true,
        };

        public ResolveCommand()
            : base("resolve", "Settle one conflict; nothing is deleted (every version stays in the store until purged)")
        {
            keep.AcceptOnlyFromAmong("current", "aside", "both");
            Arguments.Add(path);
            Options.Add(keep);
        }

        public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
            RunAsync(context, cancellationToken, (c, store, folders) =>
                Resolve(c, store, Find(c, store, folders, c.Parse.GetValue(path)!), Enum.Parse<KeepChoice>(c.Parse.GetValue(keep)!, ignoreCase: true)));
    }

    /// <summary>`conflicts purge --older-than DAYS`.</summary>
    private sealed class PurgeCommand : LaptopCommand
    {
        private readonly Option<int> olderThan = new("--older-than") { Description = "Delete stored versions collected more than DAYS days ago (open or resolved)", Required = true };

        public PurgeCommand()
            : base("purge", "Delete old versions from the store: the only way anything leaves it")
        {
            olderThan.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() < 0)
                {
                    result.AddError("--older-than takes a number of days, 0 or more");
                }
            });
            Options.Add(olderThan);
        }

        public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
            RunAsync(context, cancellationToken, (c, store, _) => Purge(c, store, c.Parse.GetValue(olderThan)));
    }

    /// <summary>Runs <paramref name="body"/> on every laptop folder (the default one first), once their copies are collected.</summary>
    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken, Func<CommandContext, ConflictStore, IReadOnlyList<CollectionTarget>, int> body)
    {
        var settings = SyncthingSession.LoadInitialized(context);
        var targets = DeviceNames.TargetsOf(settings, context.Environment.Home);
        var store = ConflictStore.ForHome(context.Environment.Home);
        await CollectAsync(context, settings, store, targets, cancellationToken).ConfigureAwait(false);
        if (!Directory.Exists(store.Root))
        {
            // Nothing was ever collected: nothing to settle, and a mistyped command creates no store.
            return body(context, store, targets);
        }

        using (await store.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            return body(context, store, targets);
        }
    }

    /// <summary>What the daemon would do, for copies it has not collected; SyncThing, when it answers, names whose each copy is.</summary>
    private static async Task CollectAsync(CommandContext context, SyncSection settings, ConflictStore store, IReadOnlyList<CollectionTarget> targets, CancellationToken cancellationToken)
    {
        var holding = targets.Where(t => ConflictScanner.Scan(t.FolderPath).Count > 0).ToList();
        if (holding.Count == 0)
        {
            return;
        }

        SyncthingRestClient? client = null;
        try
        {
            client = SyncthingSession.Locate(context, settings).CreateClient(context.Environment.SyncthingHandler);
        }
        catch (ThopterException error)
        {
            context.Log.Debug("collecting without SyncThing: {Reason}", error.Message);
        }

        using (client)
        {
            IVersionOrigins origins = client is null ? new NoVersionOrigins() : new RestVersionOrigins(client);
            var collector = new ConflictCollector(store, origins, context.Environment.Time);
            foreach (var target in holding)
            {
                var result = await collector.SweepAsync(target, cancellationToken).ConfigureAwait(false);
                foreach (var record in result.Collected)
                {
                    context.Log.Information("collected {Copy} of {FolderId} into the conflict store", record.Copy, record.Folder);
                }
            }
        }
    }

    private static int List(CommandContext context, ConflictStore store, IReadOnlyList<CollectionTarget> targets)
    {
        var open = targets.SelectMany(t => store.Open(t.FolderId).Select(r => new FoundConflict(t, r))).ToList();
        var primary = targets[0];
        context.Result(new JsonObject
        {
            ["folder"] = primary.FolderPath,
            ["store"] = Path.Combine(store.Root, primary.FolderId),
            ["folders"] = new JsonArray([.. targets.Select(t => (JsonNode?)new JsonObject
            {
                ["folderId"] = t.FolderId,
                ["folderPath"] = t.FolderPath,
                ["store"] = Path.Combine(store.Root, t.FolderId),
            })]),
            ["conflicts"] = new JsonArray([.. open.Select(f => (JsonNode?)Json(store, f))]),
        });
        if (open.Count == 0)
        {
            context.Say($"no open conflicts in {string.Join(", ", targets.Select(t => context.Pretty(t.FolderPath)))}");
            return ExitCodes.Ok;
        }

        // One folder: paths as today. Several: each row names its folder, and the path to pass is the full one.
        var several = targets.Count > 1;
        var files = open.Select(f => several ? context.Pretty(f.FullPath) : f.Record.Original).ToList();
        var width = Math.Max(4, files.Max(f => f.Length));
        var folderWidth = several ? Math.Max(6, open.Max(f => f.Target.FolderId.Length)) : 0;
        string Folder(string id) => several ? id.PadRight(folderWidth) + "  " : string.Empty;
        context.Say($"{Folder("FOLDER")}{"FILE".PadRight(width)}  {"IN THE FOLDER",-16}  {"SET ASIDE",-16}  WHEN");
        for (var i = 0; i < open.Count; i++)
        {
            var r = open[i].Record;
            context.Say($"{Folder(open[i].Target.FolderId)}{files[i].PadRight(width)}  {r.Current.Who,-16}  {r.Aside.Who,-16}  {When(r)}");
        }

        context.Say("see one with `thopter sync conflicts show PATH`; settle it with `thopter sync conflicts resolve PATH --keep current|aside|both`");
        return ExitCodes.Ok;
    }

    private static int Show(CommandContext context, ConflictStore store, FoundConflict found)
    {
        var record = found.Record;
        var inFolder = found.FullPath;
        var aside = store.PathOf(record);
        var before = ConflictDiff.TextOf(inFolder);
        var after = ConflictDiff.TextOf(aside);
        var diff = before is not null && after is not null ? ConflictDiff.Lines(before, after) : null;
        var json = Json(store, found);
        json["diff"] = diff is null ? null : new JsonArray([.. diff.Select(l => (JsonNode?)l)]);
        context.Result(json);

        context.Say($"{record.Original}: conflict of {When(record)}");
        context.Say($"  in the folder: {record.Current.Who}'s version ({Describe(inFolder)})");
        context.Say($"  set aside:     {record.Aside.Who}'s version ({Describe(aside)}) at {context.Pretty(aside)}");
        if (diff is not null)
        {
            context.Say($"--- in the folder ({record.Current.Who})");
            context.Say($"+++ set aside ({record.Aside.Who})");
            foreach (var line in diff)
            {
                context.Say(line);
            }
        }
        else
        {
            context.Say("  (not both text, or too large to diff: compare the two files above)");
        }

        return ExitCodes.Ok;
    }

    private static int Resolve(CommandContext context, ConflictStore store, FoundConflict found, KeepChoice keep)
    {
        var record = found.Record;
        Resolution resolution;
        try
        {
            resolution = new ConflictResolver(store, context.Environment.Time).Resolve(record, found.Target.FolderPath, keep);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ThopterException(ErrorKind.FileSystem, $"cannot resolve {record.Original}: {error.Message}", "check the folder's and the store's permissions; no version was lost (the store keeps them all)", error);
        }

        var json = Json(store, found with { Record = resolution.Record });
        json["replacedStoredAt"] = resolution.Replaced is null ? null : store.PathOf(resolution.Replaced);
        context.Result(json);
        context.Say(keep switch
        {
            KeepChoice.Current => $"{record.Original}: kept {record.Current.Who}'s version; {record.Aside.Who}'s stays in the store",
            KeepChoice.Aside => $"{record.Original}: {record.Aside.Who}'s version is back in place" +
                (resolution.Replaced is { } replaced ? $"; {record.Current.Who}'s is in the store at {context.Pretty(store.PathOf(replaced))}" : string.Empty),
            _ => $"{record.Original}: kept both; {record.Aside.Who}'s version is now {record.Resolved!.RestoredAs}",
        });
        return ExitCodes.Ok;
    }

    private static int Purge(CommandContext context, ConflictStore store, int days)
    {
        var purged = store.Purge(context.Environment.Time.GetUtcNow() - TimeSpan.FromDays(days));
        context.Result(new JsonObject
        {
            ["olderThanDays"] = days,
            ["purged"] = new JsonArray([.. purged.Select(r => (JsonNode?)Json(store, r))]),
        });
        context.Say($"deleted {purged.Count} stored version{(purged.Count == 1 ? string.Empty : "s")} collected more than {days} day{(days == 1 ? string.Empty : "s")} ago" +
            (purged.Count(r => r.Open) is > 0 and var open ? $" ({open} of them never resolved)" : string.Empty));
        return ExitCodes.Ok;
    }

    /// <summary>The open conflict PATH names, in whichever folder it lies.</summary>
    private static FoundConflict Find(CommandContext context, ConflictStore store, IReadOnlyList<CollectionTarget> targets, string path) =>
        ConflictFinder.Find(store, targets, path, context.Environment.CurrentDirectory);

    private static JsonObject Json(ConflictStore store, FoundConflict found)
    {
        var json = Json(store, found.Record);
        json["folderId"] = found.Target.FolderId;
        json["folderPath"] = found.Target.FolderPath;
        return json;
    }

    private static JsonObject Json(ConflictStore store, ConflictRecord record) => new()
    {
        ["path"] = record.Original,
        ["copy"] = record.Copy,
        ["storedAt"] = store.PathOf(record),
        ["when"] = record.ConflictTime?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        ["collectedAt"] = record.CollectedAt.ToString("O", CultureInfo.InvariantCulture),
        ["inFolder"] = Json(record.Current),
        ["aside"] = Json(record.Aside),
        ["resolved"] = record.Resolved is { } r ? new JsonObject { ["keep"] = r.Keep, ["at"] = r.At.ToString("O", CultureInfo.InvariantCulture), ["restoredAs"] = r.RestoredAs } : null,
    };

    private static JsonObject Json(VersionFacts facts) => new()
    {
        ["device"] = facts.Device,
        ["devbox"] = facts.Devbox,
        ["size"] = facts.Exists ? facts.Size : null,
        ["sha256"] = facts.Sha256,
    };

    private static string When(ConflictRecord record) =>
        (record.ConflictTime ?? record.CollectedAt.LocalDateTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Describe(string path) =>
        File.Exists(path) ? $"{new FileInfo(path).Length} bytes, sha256 {ConflictStore.Sha256Of(path)[..12]}" : "missing";
}
