using Thopter.Laptop.Errors;
using Thopter.Laptop.Route;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// Decides how the laptop's SyncThing must change so that exactly one device entry stands for the devbox: the
/// devbox's current device ID, named after the devbox, sharing the folder. Only what ~/.thopter.json records as ours
/// is ever changed: the entry recorded for this devbox under another ID (a clone, a reset identity) is stale and
/// leaves the folder share and the device list, while a device thopter did not pair is never renamed or removed, and
/// one device ID never stands for two devboxes or for the laptop itself: those are refused before anything changes.
/// </summary>
public static class PairPlanner
{
    /// <param name="devbox">The name the devbox is paired under.</param>
    /// <param name="previousName">The name it was recorded under until now: <paramref name="devbox"/>, or the old name of a rename.</param>
    /// <param name="records">Every paired devbox as ~/.thopter.json records it.</param>
    public static PairPlan Plan(
        string devbox,
        string previousName,
        DeviceId current,
        IReadOnlyDictionary<string, DevboxEntry> records,
        IReadOnlyList<string> addresses,
        DeviceId laptop,
        IReadOnlyList<RestDevice> devices,
        IReadOnlyList<FolderShare> folders)
    {
        var currentText = current.ToString();
        if (current == laptop)
        {
            throw new ThopterException(
                ErrorKind.OwnershipConflict,
                $"devbox \"{devbox}\" answers with this laptop's own device ID ({current.Short}): its SyncThing runs with a copy of the laptop's keys",
                $"give the devbox its own identity (`thopter-agent reset-identity` on it), then run `thopter sync pair {devbox}` again");
        }

        if (records.FirstOrDefault(r => r.Key != previousName && Same(r.Value.DeviceId) == current).Key is { } owner)
        {
            throw new ThopterException(
                ErrorKind.OwnershipConflict,
                $"devbox \"{devbox}\" answers with device ID {current.Short}, which is already paired as \"{owner}\": one device ID is one devbox",
                $"if it is \"{owner}\" under a new name, run `thopter sync pair {devbox} --rename-from {owner}`; if it is a copy of \"{owner}\", give it its own identity (`thopter-agent reset-identity` on it) and pair again");
        }

        // Ours and stale: the ID recorded for this devbox, unless that ID also stands for another recorded devbox.
        var recorded = records.TryGetValue(previousName, out var entry) ? Same(entry.DeviceId) : null;
        var staleId = recorded is { } old && old != current && old != laptop && !records.Any(o => o.Key != previousName && Same(o.Value.DeviceId) == old) ? recorded : null;
        var stale = devices.Where(d => staleId is not null && Same(d.DeviceId) == staleId).Select(d => d.DeviceId).ToList();

        if (devices.FirstOrDefault(d => d.Name == devbox && Same(d.DeviceId) is { } id && id != current && id != staleId) is { } clash)
        {
            throw new ThopterException(
                ErrorKind.OwnershipConflict,
                $"the laptop's SyncThing already has a device named \"{devbox}\" ({Short(clash.DeviceId)}) that thopter did not pair as this devbox",
                "pair the devbox under another name, or rename or remove that device in SyncThing's GUI if it is no longer used");
        }

        var existing = devices.FirstOrDefault(d => Same(d.DeviceId) == current);
        if (existing is not null && existing.Name is { Length: > 0 } known && known != devbox && !records.Any(o => Same(o.Value.DeviceId) == current))
        {
            throw new ThopterException(
                ErrorKind.OwnershipConflict,
                $"the laptop's SyncThing already knows device {current.Short} as \"{known}\", which thopter did not pair",
                $"pair it under that name (`thopter sync pair {known}`), or rename it to \"{devbox}\" in SyncThing's GUI first");
        }

        RestDevice? put = null;
        if (existing is null)
        {
            put = new RestDevice
            {
                DeviceId = currentText,
                Name = devbox,
                Addresses = [.. addresses],
                Introducer = false,
                AutoAcceptFolders = false,
                Paused = false,
            };
        }
        else if (existing.Name != devbox || !SameAddresses(existing.Addresses ?? [], addresses) || existing.Paused == true)
        {
            existing.Name = devbox;
            existing.Addresses = [.. addresses];
            existing.Paused = false;
            put = existing;
        }

        var putFolders = new List<RestFolder>();
        foreach (var share in folders)
        {
            if (share.IsOwn)
            {
                if (OwnFolder(share, devbox, laptop, current, staleId, recorded) is { } own)
                {
                    putFolders.Add(own);
                }

                continue;
            }

            var folder = share.Existing ?? throw new ThopterException(ErrorKind.NotInitialized, $"the laptop's SyncThing has no folder \"{share.Id}\"", $"run `thopter sync init --folder {share.Folder.Name}` again to register it");
            var shared = folder.Devices ?? [];
            var keep = shared.Where(d => staleId is null || Same(d.DeviceId) != staleId).ToList();
            var missing = !keep.Any(d => Same(d.DeviceId) == current);
            if (missing || keep.Count != shared.Count)
            {
                if (missing)
                {
                    keep.Add(new RestFolderDevice { DeviceId = currentText });
                }

                folder.Devices = keep;
                putFolders.Add(folder);
            }
        }

        return new PairPlan(put, existing is null, putFolders, stale, []);
    }

    /// <summary>
    /// A devbox's own folder: registered at ~/NAME/DEVBOX and shared with that devbox alone. A folder with its ID is
    /// ours only at that path and shared with nobody but the laptop and this devbox (now or as recorded); anything
    /// else is a folder thopter did not set up and is refused.
    /// </summary>
    private static RestFolder? OwnFolder(FolderShare share, string devbox, DeviceId laptop, DeviceId current, DeviceId? staleId, DeviceId? recorded)
    {
        var wanted = new[] { laptop, current };
        if (share.Existing is not { } existing)
        {
            return new RestFolder
            {
                Id = share.Id,
                Label = $"{share.Folder.Name} ({devbox})",
                Path = share.LaptopPath,
                Type = "sendreceive",
                FsWatcherEnabled = true,
                FsWatcherDelayS = Syncthing.SyncFolderSetup.WatcherDelaySeconds,
                RescanIntervalS = Syncthing.SyncFolderSetup.RescanIntervalSeconds,
                Paused = false,
                Devices = [.. wanted.Select(d => new RestFolderDevice { DeviceId = d.ToString() })],
            };
        }

        var ids = (existing.Devices ?? []).Select(d => Same(d.DeviceId)).ToList();
        var allowed = new[] { laptop, current, staleId, recorded };
        var samePath = existing.Path is { } path && Path.TrimEndingDirectorySeparator(path) == share.LaptopPath;
        if (!samePath || ids.Any(id => id is null || !allowed.Contains(id)))
        {
            throw new ThopterException(
                ErrorKind.OwnershipConflict,
                $"the laptop's SyncThing already has a folder \"{share.Id}\" (at {existing.Path}) that thopter did not set up as {devbox}'s own folder",
                $"remove or rename that folder in SyncThing's GUI, or pair the devbox under another name");
        }

        if (ids.Count == wanted.Length && wanted.All(w => ids.Contains(w)) && existing.Paused != true)
        {
            return null;
        }

        existing.Devices = [.. wanted.Select(d => new RestFolderDevice { DeviceId = d.ToString() })];
        existing.Paused = false;
        return existing;
    }

    /// <summary>
    /// The plan that takes <paramref name="deviceId"/> out of <paramref name="folders"/> (unshares each shared folder, drops
    /// each own folder of the devbox from SyncThing, files kept) and, with <paramref name="removeDevice"/>, out of the
    /// device list (unpair); nothing when it is the laptop itself or still stands for another recorded devbox.
    /// </summary>
    public static PairPlan PlanRemoval(string devbox, string deviceId, DeviceId laptop, IReadOnlyDictionary<string, DevboxEntry> records, IReadOnlyList<RestDevice> devices, IReadOnlyList<FolderShare> folders, bool removeDevice = true)
    {
        var id = Same(deviceId);
        if (id is null || id == laptop || records.Any(o => o.Key != devbox && Same(o.Value.DeviceId) == id))
        {
            return PairPlan.Nothing;
        }

        var putFolders = new List<RestFolder>();
        var deleteFolders = new List<string>();
        foreach (var share in folders)
        {
            if (share.Existing is not { } folder)
            {
                continue;
            }

            var ours = share.IsOwn && folder.Path is { } path && Path.TrimEndingDirectorySeparator(path) == share.LaptopPath
                && (folder.Devices ?? []).All(d => Same(d.DeviceId) is { } shared && (shared == id || shared == laptop));
            if (ours)
            {
                deleteFolders.Add(share.Id);
            }
            else if (!share.IsOwn && folder.Devices is { } shared && shared.Any(d => Same(d.DeviceId) == id))
            {
                folder.Devices = [.. shared.Where(d => Same(d.DeviceId) != id)];
                putFolders.Add(folder);
            }
        }

        var known = removeDevice ? devices.Where(d => Same(d.DeviceId) == id).Select(d => d.DeviceId).ToList() : [];
        return new PairPlan(null, false, putFolders, known, deleteFolders);
    }

    // The daemon respells a tunnel address to make SyncThing dial at once: every spelling is the same tunnel.
    private static bool SameAddresses(IReadOnlyList<string> existing, IReadOnlyList<string> wanted) =>
        existing.SequenceEqual(wanted) || (wanted is [var only] && DevboxRoute.TunnelPortOf(only) is { } port && DevboxRoute.IsTunnel(existing, port));

    // SyncThing may spell an ID differently (case, old form); compare the IDs themselves.
    private static DeviceId? Same(string text) => DeviceId.TryParse(text, out var id, out _) ? id : null;

    private static string Short(string text) => Same(text)?.Short ?? text;

    public static async Task ApplyAsync(SyncthingRestClient client, PairPlan plan, CancellationToken cancellationToken)
    {
        if (plan.PutDevice is { } device)
        {
            await client.PutDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        }

        foreach (var folder in plan.PutFolders)
        {
            await client.PutFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        }

        foreach (var folder in plan.DeleteFolders)
        {
            await client.DeleteFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        }

        foreach (var stale in plan.RemoveDevices)
        {
            await client.DeleteDeviceAsync(stale, cancellationToken).ConfigureAwait(false);
        }
    }
}
