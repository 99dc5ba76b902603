using System.Text.Json;
using Thopter.Shared.Rest;

namespace Thopter.Bench.Rig;

/// <summary>
/// SyncThing's own knobs for a big initial pull, for P7's "what tuning gives alone" rows (issue 17): more copier
/// routines, a hasher per core, a larger window of pending block requests, more concurrent writes, weak hashing and scan
/// progress off, and on the sending devbox a larger budget for incoming requests and its watcher off during the initial
/// scan. <see cref="WithoutFsync"/> additionally skips the fsync of every received file: not a setting thopter ships
/// (a crash could leave torn files), only the measure of what that fsync costs.
/// </summary>
public sealed record InitialSyncTuning(bool WithoutFsync)
{
    public const string Knobs = "copiers 8, hashers 2, pullerMaxPendingKiB 65536, maxConcurrentWrites 16, weakHashThresholdPct 101, scanProgressIntervalS -1; "
        + "devbox: fsWatcherEnabled false, maxConcurrentIncomingRequestKiB 1048576";

    public async Task ApplyLaptopAsync(SyncthingRestClient rest, CancellationToken ct) => await ApplyFolderAsync(rest, watcher: true, ct);

    public async Task ApplyDevboxAsync(SyncthingRestClient rest, CancellationToken ct)
    {
        await ApplyFolderAsync(rest, watcher: false, ct);
        var options = await rest.GetOptionsAsync(ct);
        options.ExtensionData ??= [];
        options.ExtensionData["maxConcurrentIncomingRequestKiB"] = Json("1048576");
        await rest.PatchOptionsAsync(options, ct);
    }

    private async Task ApplyFolderAsync(SyncthingRestClient rest, bool watcher, CancellationToken ct)
    {
        var folder = await rest.GetFolderAsync(DevboxNode.Folder, ct) ?? throw new InvalidOperationException($"no folder {DevboxNode.Folder} at {rest.BaseAddress}");
        folder.ExtensionData ??= [];
        foreach (var (name, value) in new[] { ("copiers", "8"), ("hashers", "2"), ("pullerMaxPendingKiB", "65536"), ("maxConcurrentWrites", "16"), ("weakHashThresholdPct", "101"), ("scanProgressIntervalS", "-1") })
        {
            folder.ExtensionData[name] = Json(value);
        }

        folder.ExtensionData["disableFsync"] = Json(WithoutFsync ? "true" : "false");
        folder.FsWatcherEnabled = watcher;
        await rest.PutFolderAsync(folder, ct);
    }

    private static JsonElement Json(string value)
    {
        using var document = JsonDocument.Parse(value);
        return document.RootElement.Clone();
    }
}
