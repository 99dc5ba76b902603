using Thopter.Shared.Acceleration;
using Thopter.Shared.Rest;

namespace Thopter.Bench.Rig;

/// <summary>The accelerator's scanner backed by SyncThing's REST API (the call returns once SyncThing has scanned).</summary>
public sealed class RestFolderScanner(SyncthingRestClient client) : IFolderScanner
{
    public Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, CancellationToken ct) =>
        client.ScanAsync(folderId, subPaths, cancellationToken: ct);
}
