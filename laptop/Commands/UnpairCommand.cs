using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Agent.Delivery;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Client;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Folders;
using Thopter.Laptop.Pairing;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.Transport;

using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync unpair DEVBOX [--stop-remote]`: the devbox leaves the folder share and the laptop SyncThing's device
/// list, and ~/.thopter.json forgets it. With --stop-remote, `thopter-agent uninstall` also stops SyncThing on the
/// devbox (its files stay). Unpairing again finds nothing to do and says so.
/// </summary>
public sealed class UnpairCommand : LaptopCommand
{
    private readonly Argument<string> devbox = new("devbox") { Description = "Name of a paired devbox (see `thopter sync list`)" };
    private readonly Option<bool> stopRemote = new("--stop-remote") { Description = "Also stop SyncThing on the devbox (thopter-agent uninstall; files are kept)" };
    private readonly Option<string[]> folders = new("--folder") { Description = "Only stop syncing this folder with the devbox (repeatable); it stays paired for the others", AllowMultipleArgumentsPerToken = false };

    public UnpairCommand()
        : base("unpair", "Stop syncing with a devbox")
    {
        Arguments.Add(devbox);
        Options.Add(stopRemote);
        Options.Add(folders);
    }

    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.Parse.GetValue(folders) is { Length: > 0 } narrowed
            ? context.Parse.GetValue(stopRemote)
                ? throw new ThopterException(ErrorKind.BadInput, "--stop-remote stops all sync on the devbox: it does not go with --folder", "leave one of them out")
                : NarrowAsync(context, context.Parse.GetValue(devbox)!, narrowed, cancellationToken)
            : RunAsync(context, context.Parse.GetValue(devbox)!, context.Parse.GetValue(stopRemote), cancellationToken);

    private static async Task<int> RunAsync(CommandContext context, string name, bool stopRemote, CancellationToken cancellationToken)
    {
        var settings = SyncthingSession.LoadInitialized(context);
        var entry = DeviceIdCommand.Find(settings, name);
        using var session = await SyncthingSession.OpenAsync(context, cancellationToken, settings).ConfigureAwait(false);

        JsonObject? remote = null;
        if (stopRemote)
        {
            // First, so an unreachable devbox leaves everything as it was and the user can decide.
            var transport = new DevboxTransport(name, entry.Transport, context.Environment.Processes);
            await transport.CheckReachableAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            var agent = (await AgentDelivery.EnsureAsync(context, transport, cancellationToken).ConfigureAwait(false)).Client;
            remote = await agent.UninstallAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        }

        // Under the settings lock, from fresh copies, like pair: concurrent pairs keep their shares and entries.
        PairPlan plan;
        using (await context.ConfigFile.LockAsync(ThopterConfigFile.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            context.ConfigFile.EnsureWritable();
            settings = context.ConfigFile.Load();
            var devices = await session.Client.GetDevicesAsync(cancellationToken).ConfigureAwait(false);
            var shares = await FolderShare.ReadAsync(session.Client, settings.Folders, name, context.Environment.Home, cancellationToken).ConfigureAwait(false);
            plan = PairPlanner.PlanRemoval(name, entry.DeviceId, session.Laptop, settings.Devboxes, devices, shares);
            await PairPlanner.ApplyAsync(session.Client, plan, cancellationToken).ConfigureAwait(false);
            settings.Devboxes.Remove(name);
            context.ConfigFile.Save(settings);
        }

        await DaemonNotifier.ReloadAsync(context, cancellationToken).ConfigureAwait(false);

        context.Result(new JsonObject
        {
            ["devbox"] = name,
            ["deviceId"] = entry.DeviceId,
            ["removedFromSyncthing"] = plan.RemoveDevices.Count > 0,
            ["unshared"] = plan.PutFolders.Count > 0 || plan.DeleteFolders.Count > 0,
            ["remoteStopped"] = remote is not null,
        });
        context.Say($"unpaired {name} ({entry.DeviceId[..7]}): {(plan.IsEmpty ? "it was no longer in SyncThing" : "removed from SyncThing and the folder share")}{(remote is null ? "; SyncThing on the devbox still runs (use --stop-remote to stop it)" : "; SyncThing on the devbox stopped")}");
        return ExitCodes.Ok;
    }

    /// <summary>`unpair DEVBOX --folder NAME...`: those folders stop syncing with the devbox (own ones leave SyncThing, files kept).</summary>
    private static async Task<int> NarrowAsync(CommandContext context, string name, IReadOnlyList<string> chosen, CancellationToken cancellationToken)
    {
        var settings = SyncthingSession.LoadInitialized(context);
        DeviceIdCommand.Find(settings, name);
        using var session = await SyncthingSession.OpenAsync(context, cancellationToken, settings).ConfigureAwait(false);
        PairPlan plan;
        IReadOnlyList<SyncFolder> removed;
        using (await context.ConfigFile.LockAsync(ThopterConfigFile.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            context.ConfigFile.EnsureWritable();
            settings = context.ConfigFile.Load();
            var entry = DeviceIdCommand.Find(settings, name);
            (removed, var record) = FolderChoice.ForUnpair(settings, entry, chosen);
            var devices = await session.Client.GetDevicesAsync(cancellationToken).ConfigureAwait(false);
            var shares = await FolderShare.ReadAsync(session.Client, removed, name, context.Environment.Home, cancellationToken).ConfigureAwait(false);
            plan = PairPlanner.PlanRemoval(name, entry.DeviceId, session.Laptop, settings.Devboxes, devices, shares, removeDevice: false);
            await PairPlanner.ApplyAsync(session.Client, plan, cancellationToken).ConfigureAwait(false);
            entry.Folders = record;
            context.ConfigFile.Save(settings);
        }

        await DaemonNotifier.ReloadAsync(context, cancellationToken).ConfigureAwait(false);
        context.Result(new JsonObject
        {
            ["devbox"] = name,
            ["folders"] = new JsonArray([.. removed.Select(f => (JsonNode?)f.Name)]),
            ["unshared"] = new JsonArray([.. plan.PutFolders.Select(f => (JsonNode?)f.Id)]),
            ["removedOwnFolders"] = new JsonArray([.. plan.DeleteFolders.Select(f => (JsonNode?)f)]),
        });
        context.Say(removed.Count == 0
            ? $"{name} did not sync {string.Join(", ", chosen)}: nothing to do"
            : $"{name} no longer syncs {string.Join(", ", removed.Select(f => f.IsOwn ? $"~/{f.Name} (own; ~/{f.Name}/{name} stays here)" : $"~/{f.Name}"))}; the devbox keeps its copy");
        return ExitCodes.Ok;
    }
}
