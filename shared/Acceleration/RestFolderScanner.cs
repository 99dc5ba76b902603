using Thopter.Shared.Rest;

namespace Thopter.Shared.Acceleration;

/// <summary>The production <see cref="IFolderScanner"/>: SyncThing's POST /rest/db/scan through <see cref="SyncthingRestClient"/>.</summary>
public sealed class RestFolderScanner(SyncthingRestClient client, TimeSpan? scanTimeout = null) : IFolderScanner
{
    public Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, CancellationToken ct) =>
        client.ScanAsync(folderId, subPaths, scanTimeout, ct);
}
