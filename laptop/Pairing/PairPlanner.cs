using Thopter.Shared.Devices;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// Decides how the laptop's SyncThing must change so that exactly one device entry stands for the devbox: the
/// devbox's current device ID, named after the devbox, sharing the folder. An entry that stood for the devbox
/// before under another ID (a clone, a reset identity) is stale: it leaves the folder share and the device list.
/// </summary>
public static class PairPlanner
{
    public static PairPlan Plan(
        string devbox,
        DeviceId current,
        string? recordedDeviceId,
        IReadOnlyList<string> addresses,
        DeviceId laptop,
        IReadOnlyList<RestDevice> devices,
        RestFolder folder)
    {
        var currentText = current.ToString();
        var stale = devices
            .Where(d => Same(d.DeviceId) is { } id && id != current && id != laptop
                && (d.Name == devbox || (recordedDeviceId is not null && Same(recordedDeviceId) == id)))
            .Select(d => d.DeviceId)
            .ToList();

        var existing = devices.FirstOrDefault(d => Same(d.DeviceId) == current);
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
        else if (existing.Name != devbox || !(existing.Addresses ?? []).SequenceEqual(addresses) || existing.Paused == true)
        {
            existing.Name = devbox;
            existing.Addresses = [.. addresses];
            existing.Paused = false;
            put = existing;
        }

        var shared = folder.Devices ?? [];
        var keep = shared.Where(d => !stale.Any(s => Same(s) == Same(d.DeviceId))).ToList();
        var missing = !keep.Any(d => Same(d.DeviceId) == current);
        RestFolder? putFolder = null;
        if (missing || keep.Count != shared.Count)
        {
            if (missing)
            {
                keep.Add(new RestFolderDevice { DeviceId = currentText });
            }

            folder.Devices = keep;
            putFolder = folder;
        }

        return new PairPlan(put, existing is null, putFolder, stale);
    }

    /// <summary>The plan that takes <paramref name="deviceId"/> out of the folder share and the device list (unpair).</summary>
    public static PairPlan PlanRemoval(string deviceId, IReadOnlyList<RestDevice> devices, RestFolder? folder)
    {
        var id = Same(deviceId);
        RestFolder? putFolder = null;
        if (folder?.Devices is { } shared && shared.Any(d => Same(d.DeviceId) == id))
        {
            folder.Devices = [.. shared.Where(d => Same(d.DeviceId) != id)];
            putFolder = folder;
        }

        var known = devices.Where(d => Same(d.DeviceId) == id).Select(d => d.DeviceId).ToList();
        return new PairPlan(null, false, putFolder, known);
    }

    // SyncThing may spell an ID differently (case, old form); compare the IDs themselves.
    private static DeviceId? Same(string text) => DeviceId.TryParse(text, out var id, out _) ? id : null;

    public static async Task ApplyAsync(SyncthingRestClient client, PairPlan plan, CancellationToken cancellationToken)
    {
        if (plan.PutDevice is { } device)
        {
            await client.PutDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        }

        if (plan.PutFolder is { } folder)
        {
            await client.PutFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        }

        foreach (var stale in plan.RemoveDevices)
        {
            await client.DeleteDeviceAsync(stale, cancellationToken).ConfigureAwait(false);
        }
    }
}
