using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.ThopterConfig;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync conflicts`: SyncThing's conflict copies in ~/NAME, with the device whose change won (its version is in
/// the original; the copy holds the one it replaced) and when; `thopter sync conflicts resolve PATH --keep local|remote|both` settles one without losing either version.
/// Works from ~/.thopter.json and the files alone: SyncThing need not be running.
/// </summary>
public static class ConflictsCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var command = new Command("conflicts", "List files SyncThing could not merge (*.sync-conflict-*)");
        CommandRunner.SetAction(command, options, environment, (context, _) => Task.FromResult(List(context)));

        var path = new Argument<string>("path") { Description = "The conflict copy (or its original when it has exactly one), absolute or relative to the current directory or the synced folder" };
        var keep = new Option<string>("--keep") { Description = "local: this laptop's version; remote: the devbox's; both: keep the other version next to it as NAME.from-laptop.EXT or NAME.from-devbox.EXT", Required = true };
        keep.AcceptOnlyFromAmong("local", "remote", "both");
        var resolve = new Command("resolve", "Settle one conflict; the version not kept moves to ~/NAME/" + ConflictResolver.TrashDirectory + " (never synced)");
        resolve.Arguments.Add(path);
        resolve.Options.Add(keep);
        CommandRunner.SetAction(resolve, options, environment, (context, _) => Task.FromResult(Resolve(context, context.Parse.GetValue(path)!, context.Parse.GetValue(keep)!)));
        command.Subcommands.Add(resolve);
        return command;
    }

    private static int List(CommandContext context)
    {
        var settings = SyncthingSession.LoadInitialized(context);
        var folder = settings.LaptopFolderPath(context.Environment.Home);
        var conflicts = ConflictScanner.Scan(folder);
        var devices = DeviceNames(settings);
        context.Result(new JsonObject
        {
            ["folder"] = folder,
            ["conflicts"] = new JsonArray([.. conflicts.Select(c => (JsonNode?)new JsonObject
            {
                ["path"] = c.RelativePath,
                ["original"] = c.OriginalRelativePath,
                ["originalExists"] = c.OriginalExists,
                ["device"] = c.Name.ShortDeviceId,
                ["deviceName"] = devices.GetValueOrDefault(c.Name.ShortDeviceId),
                ["time"] = c.Name.Time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            })]),
        });
        if (conflicts.Count == 0)
        {
            context.Say($"no conflicts in {context.Pretty(folder)}");
            return ExitCodes.Ok;
        }

        var width = Math.Max(4, conflicts.Max(c => c.RelativePath.Length));
        context.Say($"{"FILE".PadRight(width)}  {"WON BY",-20}  TIME");
        foreach (var c in conflicts)
        {
            var who = devices.TryGetValue(c.Name.ShortDeviceId, out var name) ? $"{name} ({c.Name.ShortDeviceId})" : c.Name.ShortDeviceId;
            context.Say($"{c.RelativePath.PadRight(width)}  {who,-20}  {c.Name.Time:yyyy-MM-dd HH:mm:ss}");
        }

        context.Say($"resolve one with `thopter sync conflicts resolve PATH --keep local|remote|both`");
        return ExitCodes.Ok;
    }

    private static int Resolve(CommandContext context, string path, string keepText)
    {
        var settings = SyncthingSession.LoadInitialized(context);
        var folder = settings.LaptopFolderPath(context.Environment.Home);
        var conflict = Find(folder, path);
        var keep = Enum.Parse<KeepChoice>(keepText, ignoreCase: true);
        Resolution resolution;
        try
        {
            resolution = ConflictResolver.Resolve(folder, conflict, keep, settings.DeviceId![..7], context.Environment.Time.GetUtcNow());
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.FileSystem, $"cannot resolve {conflict.RelativePath}: {error.Message}", "check the folder's permissions; nothing was lost (every step is a rename)", error);
        }

        context.Result(new JsonObject
        {
            ["conflict"] = conflict.RelativePath,
            ["kept"] = resolution.Kept,
            ["discardedTo"] = resolution.DiscardedTo,
            ["otherVersionAt"] = resolution.BothCopy,
            ["otherVersionFrom"] = resolution.BothCopy is null ? null : resolution.CopyWasLocal ? "laptop" : "devbox",
        });
        context.Say(resolution.BothCopy is { } both
            ? $"{conflict.OriginalRelativePath}: kept both versions: the {(resolution.CopyWasLocal ? "devbox's" : "laptop's")} in {conflict.OriginalRelativePath}, the {(resolution.CopyWasLocal ? "laptop's" : "devbox's")} in {context.Pretty(both)}"
            : $"{conflict.OriginalRelativePath}: kept the {keepText} version" + (resolution.DiscardedTo is { } d ? $"; the other is in {context.Pretty(d)}" : string.Empty));
        return ExitCodes.Ok;
    }

    private static ConflictFile Find(string folder, string path)
    {
        var candidates = new[] { Path.GetFullPath(path), Path.GetFullPath(Path.Combine(folder, path)) };
        var full = candidates.FirstOrDefault(File.Exists) ?? candidates[0];
        var relative = Path.GetRelativePath(folder, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new CliFailure(ExitCodes.BadInput, $"{path} is not inside the synced folder {folder}", "pass a path listed by `thopter sync conflicts`");
        }

        var all = ConflictScanner.Scan(folder);
        var exact = all.FirstOrDefault(c => c.RelativePath == relative);
        if (exact is not null)
        {
            return exact;
        }

        var ofOriginal = all.Where(c => c.OriginalRelativePath == relative).ToList();
        return ofOriginal.Count switch
        {
            1 => ofOriginal[0],
            0 => throw new CliFailure(ExitCodes.NotFound, $"{relative} is not a conflict copy and has none", "pass a path listed by `thopter sync conflicts`"),
            _ => throw new CliFailure(ExitCodes.BadInput, $"{relative} has {ofOriginal.Count} conflict copies ({string.Join(", ", ofOriginal.Select(c => c.RelativePath))})", "pass the conflict copy to resolve"),
        };
    }

    /// <summary>Short device ID to devbox name ("laptop" for this laptop).</summary>
    public static Dictionary<string, string> DeviceNames(SyncSection settings)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, entry) in settings.Devboxes)
        {
            if (entry.DeviceId.Length >= 7)
            {
                names[entry.DeviceId[..7]] = name;
            }
        }

        if (settings.DeviceId is { Length: >= 7 } laptop)
        {
            names[laptop[..7]] = "laptop";
        }

        return names;
    }
}
