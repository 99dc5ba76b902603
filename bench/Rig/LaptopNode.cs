using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness.Laptop;

namespace Thopter.Bench.Rig;

/// <summary>The laptop: tests/Harness's loopback-only LaptopSyncthing plus a REST client and the synced folder.</summary>
public sealed class LaptopNode : IAsyncDisposable
{
    private LaptopNode(LaptopSyncthing syncthing, SyncthingRestClient rest, string folderPath)
    {
        Syncthing = syncthing;
        Rest = rest;
        FolderPath = folderPath;
        Directory.CreateDirectory(FolderPath);
    }

    public LaptopSyncthing Syncthing { get; }

    public SyncthingRestClient Rest { get; }

    public DeviceId DeviceId => Syncthing.DeviceId;

    public int ListenPort => Syncthing.Home.ListenPort;

    public string FolderPath { get; }

    /// <param name="folderPath">Where the laptop keeps the synced folder (default: under the SyncThing's temporary directory).</param>
    public static async Task<LaptopNode> StartAsync(CancellationToken ct, string? folderPath = null)
    {
        var syncthing = await LaptopSyncthing.StartAsync("laptop", cancellationToken: ct);
        return new LaptopNode(
            syncthing,
            new SyncthingRestClient(syncthing.RestAddress, new SyncthingApiKey(syncthing.ApiKey)),
            folderPath ?? Path.Combine(syncthing.FoldersDir, DevboxNode.Folder));
    }

    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        await Syncthing.DisposeAsync();
    }
}
