using Thopter.Shared.Rest;
using Thopter.Shared.Timing;

namespace Thopter.Bench.Rig;

/// <summary>
/// Pairs a devbox with the laptop the way `thopter sync pair` does: thopter-agent setup on the devbox (through
/// docker exec, the transport), then the laptop's REST API adds the devbox and shares the folder with it. The bench
/// drives these steps itself so it can time them separately and switch tunings; the demo runs the real command.
/// </summary>
public static class Pairing
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static async Task<AgentTiming> PairAsync(LaptopNode laptop, DevboxNode devbox, CancellationToken ct)
    {
        var timing = await devbox.SetupAsync(laptop.DeviceId, laptop.ListenPort, ct);
        await ShareWithAsync(laptop, devbox, $"tcp://127.0.0.1:{devbox.ListenPort}", ct);
        return timing;
    }

    /// <summary>The laptop's half of pairing: the devbox (set up already) as a device at <paramref name="address"/>, and the folder shared with it.</summary>
    public static async Task ShareWithAsync(LaptopNode laptop, DevboxNode devbox, string address, CancellationToken ct)
    {
        var id = devbox.DeviceId!.Value.ToString();
        await laptop.Rest.PutDeviceAsync(new RestDevice { DeviceId = id, Name = devbox.Name, Addresses = [address] }, ct);
        var folder = await laptop.Rest.GetFolderAsync(DevboxNode.Folder, ct) ?? LaptopFolder(laptop);
        folder.Devices ??= [];
        if (!folder.Devices.Any(d => d.DeviceId == id))
        {
            folder.Devices.Add(new RestFolderDevice { DeviceId = id });
        }

        await laptop.Rest.PutFolderAsync(folder, ct);
    }

    /// <summary>
    /// The laptop's folder shared with no devbox yet, as `thopter sync init` leaves it; returns once SyncThing has started
    /// it (its .stfolder marker exists), which a seed needs before it unpacks.
    /// </summary>
    public static async Task CreateLaptopFolderAsync(LaptopNode laptop, CancellationToken ct)
    {
        await laptop.Rest.PutFolderAsync(LaptopFolder(laptop), ct);
        await Wait.UntilAsync(
            "the laptop's SyncThing to start its folder",
            _ => Task.FromResult(Directory.Exists(Path.Combine(laptop.FolderPath, Thopter.Shared.Ignore.StIgnore.FolderMarker))),
            Poll,
            TimeSpan.FromMinutes(1),
            cancellationToken: ct);
    }

    private static RestFolder LaptopFolder(LaptopNode laptop) => new()
    {
        Id = DevboxNode.Folder,
        Label = DevboxNode.Folder,
        Path = laptop.FolderPath,
        Type = "sendreceive",
        FsWatcherEnabled = true,
        FsWatcherDelayS = SyncTuning.Ours.WatcherDelayS,
        RescanIntervalS = SyncTuning.Ours.RescanIntervalS,
        Devices = [new RestFolderDevice { DeviceId = laptop.DeviceId.ToString() }],
    };

    /// <summary>Both sides report the other connected.</summary>
    public static Task WaitConnectedAsync(LaptopNode laptop, DevboxNode devbox, TimeSpan timeout, CancellationToken ct) =>
        Wait.UntilAsync(
            $"{devbox.Name} and the laptop connected",
            async c => (await laptop.Rest.GetConnectionsAsync(c)).TryGetValue(devbox.DeviceId!.Value.ToString(), out var a) && a.Connected
                && (await devbox.Rest.GetConnectionsAsync(c)).TryGetValue(laptop.DeviceId.ToString(), out var b) && b.Connected,
            Poll,
            timeout,
            cancellationToken: ct);

    /// <summary>Connected, both folders idle, and each side has everything the other has.</summary>
    public static async Task WaitInSyncAsync(LaptopNode laptop, DevboxNode devbox, TimeSpan timeout, CancellationToken ct)
    {
        await WaitConnectedAsync(laptop, devbox, timeout, ct);
        await Wait.UntilAsync(
            $"{devbox.Name} and the laptop in sync",
            async c => (await laptop.Rest.GetFolderStatusAsync(DevboxNode.Folder, c)).State == "idle"
                && (await devbox.Rest.GetFolderStatusAsync(DevboxNode.Folder, c)).State == "idle"
                && (await laptop.Rest.GetCompletionAsync(DevboxNode.Folder, devbox.DeviceId!.Value.ToString(), c)).Completion >= 100
                && (await devbox.Rest.GetCompletionAsync(DevboxNode.Folder, laptop.DeviceId.ToString(), c)).Completion >= 100,
            Poll,
            timeout,
            cancellationToken: ct);
    }

    /// <summary>
    /// SyncThing's advanced folder option disableFsync (it fsyncs every received file by default). Only for the
    /// diagnostic P6 row that shows what fsync costs; thopter does not turn it off.
    /// </summary>
    public static async Task SetFsyncAsync(SyncthingRestClient rest, bool enabled, CancellationToken ct)
    {
        var folder = await rest.GetFolderAsync(DevboxNode.Folder, ct) ?? throw new InvalidOperationException($"no folder {DevboxNode.Folder} at {rest.BaseAddress}");
        using var disable = System.Text.Json.JsonDocument.Parse(enabled ? "false" : "true");
        folder.ExtensionData ??= [];
        folder.ExtensionData["disableFsync"] = disable.RootElement.Clone();
        await rest.PutFolderAsync(folder, ct);
    }

    /// <summary>Sets the folder's watcher delay and rescan interval (SyncThing restarts the folder when they change).</summary>
    public static async Task ApplyAsync(SyncthingRestClient rest, SyncTuning tuning, CancellationToken ct)
    {
        var folder = await rest.GetFolderAsync(DevboxNode.Folder, ct) ?? throw new InvalidOperationException($"no folder {DevboxNode.Folder} at {rest.BaseAddress}");
        if (folder.FsWatcherDelayS == tuning.WatcherDelayS && folder.RescanIntervalS == tuning.RescanIntervalS && folder.FsWatcherEnabled == true)
        {
            return;
        }

        folder.FsWatcherEnabled = true;
        folder.FsWatcherDelayS = tuning.WatcherDelayS;
        folder.RescanIntervalS = tuning.RescanIntervalS;
        await rest.PutFolderAsync(folder, ct);
    }
}
