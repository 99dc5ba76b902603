using Thopter.Shared.Rest;

namespace Thopter.Laptop.Syncthing;

/// <summary>The laptop folder's state as SyncThing reports it, with SyncThing's own reason and our fix when it has stopped the folder.</summary>
public sealed record FolderHealth(string State, string? Error, string? Fix, long NeedTotalItems)
{
    public bool Stopped => State == "error";

    public static async Task<FolderHealth> ReadAsync(SyncthingRestClient client, string folderId, string folderPath, CancellationToken cancellationToken)
    {
        var status = await client.GetFolderStatusAsync(folderId, cancellationToken).ConfigureAwait(false);
        if (status.State != "error")
        {
            return new FolderHealth(status.State, null, null, status.NeedTotalItems);
        }

        var reason = string.IsNullOrEmpty(status.Error) ? "no reason given" : status.Error;
        return new FolderHealth(status.State, reason, FolderErrorAdvice.Fix(reason, folderPath), status.NeedTotalItems);
    }
}
