using System.Diagnostics;
using System.Text.Json.Nodes;
using Thopter.Laptop.Agent;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Laptop.Pairing;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Devices;
using Thopter.Shared.Seed;

namespace Thopter.Laptop.Seed;

/// <summary>
/// pair's seed step (issue 17): when a devbox is new to the folder, the files it has and the laptop lacks come over in
/// one stream through the transport (like rsync or tar would), and the laptop's SyncThing hashes them before the folder
/// is shared. SyncThing then finds equal blocks on both sides and only records the other's version ("shortcut": no
/// data, no conflict copy; lib/model/folder_sendrecv.go, BlocksEqual), instead of fetching each file with its own
/// request, temp file, fsync and rename. A seed that fails is a warning: SyncThing sends what is missing anyway.
/// </summary>
public static class PairSeed
{
    public const string SendOnly = "sendonly";

    /// <summary>
    /// Seeds each shared folder in <paramref name="folders"/> that the devbox does not share yet; the figures per SyncThing
    /// folder ID, or null when no seed was taken. Own folders are not seeded: SyncThing has no such folder before the pair
    /// registers it, so the devbox's files arrive through SyncThing.
    /// </summary>
    public static async Task<JsonObject?> RunAsync(CommandContext context, SyncthingSession session, AgentClient agent, DeviceId devbox, IEnumerable<FolderShare> folders, Func<TimeSpan> timeout, CancellationToken cancellationToken)
    {
        var seeds = new JsonObject();
        foreach (var folder in folders.Where(f => !f.IsOwn))
        {
            if (await RunAsync(context, session, agent, devbox, folder, timeout(), cancellationToken).ConfigureAwait(false) is { } seed)
            {
                seeds[folder.Id] = seed;
            }
        }

        return seeds.Count > 0 ? seeds : null;
    }

    private static async Task<JsonObject?> RunAsync(CommandContext context, SyncthingSession session, AgentClient agent, DeviceId devbox, FolderShare share, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var folder = share.Existing;
        if (folder is null || folder.Type == SendOnly || (folder.Devices ?? []).Any(d => d.DeviceId == devbox.ToString()))
        {
            return null;
        }

        var name = agent.Transport.Devbox;
        context.Progress.Step($"{name}: copying the devbox's ~/{share.Folder.Name} into {context.Pretty(share.LaptopPath)} where files are missing (nothing on the laptop is replaced)");
        var clock = Stopwatch.StartNew();
        try
        {
            var outcome = await new SeedTransfer(new TunnelProcesses()).RunAsync(agent, share.Folder.Name, share.LaptopPath, timeout, cancellationToken).ConfigureAwait(false);
            var unpacked = clock.ElapsedMilliseconds;
            context.Progress.Step($"{name}: SyncThing is hashing the {outcome.Written} files that arrived");
            await session.Client.ScanAsync(share.Id, [], timeout, cancellationToken).ConfigureAwait(false);
            context.Say(
                $"seeded ~/{share.Folder.Name} from {name}: {outcome.Written} files, {outcome.Bytes / (1024.0 * 1024):0.0} MB in {unpacked / 1000.0:0.0} s"
                + (outcome.LeftAlone > 0 ? $"; left to SyncThing: {outcome.Existing} already on the laptop, {outcome.Blocked} below a link or file, {outcome.Changed} changed while packed" : string.Empty));
            return new JsonObject
            {
                ["written"] = outcome.Written,
                ["directories"] = outcome.Directories,
                ["bytes"] = outcome.Bytes,
                ["existing"] = outcome.Existing,
                ["blocked"] = outcome.Blocked,
                ["ignored"] = outcome.Ignored,
                ["changed"] = outcome.Changed,
                ["unpackedMs"] = unpacked,
                ["hashedMs"] = clock.ElapsedMilliseconds,
            };
        }
        catch (Exception error) when (error is SeedFailedException or SeedFormatException)
        {
            context.Warn($"{name}: the seed stopped after {clock.Elapsed.TotalSeconds:0.0} s ({error.Message}); files it placed are complete", "nothing to do: SyncThing sends the remaining files itself");
            return new JsonObject { ["error"] = error.Message };
        }
    }
}
