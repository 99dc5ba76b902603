using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Folders;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// One SyncThing folder a devbox syncs, as the laptop has it: a shared folder (ID NAME, the laptop's ~/NAME or adopted
/// path) or the devbox's own one (ID NAME@DEVBOX at ~/NAME/DEVBOX), with SyncThing's current configuration of it.
/// </summary>
public sealed record FolderShare(SyncFolder Folder, string Id, string LaptopPath, RestFolder? Existing)
{
    public bool IsOwn => Folder.IsOwn;

    /// <summary>The SyncThing folder ID and laptop path of <paramref name="folder"/> for <paramref name="devbox"/>.</summary>
    public static (string Id, string LaptopPath) Locate(SyncFolder folder, string devbox, string home) => folder.IsOwn
        ? (FolderName.OwnFolderIdOf(folder.Name, devbox), Path.Combine(folder.LaptopPath(home), devbox))
        : (FolderName.FolderIdOf(folder.Name), folder.LaptopPath(home));

    /// <summary>Reads SyncThing's configuration of each folder <paramref name="devbox"/> syncs.</summary>
    public static async Task<IReadOnlyList<FolderShare>> ReadAsync(SyncthingRestClient client, IEnumerable<SyncFolder> folders, string devbox, string home, CancellationToken cancellationToken)
    {
        var shares = new List<FolderShare>();
        foreach (var folder in folders)
        {
            var (id, path) = Locate(folder, devbox, home);
            shares.Add(new FolderShare(folder, id, path, await client.GetFolderAsync(id, cancellationToken).ConfigureAwait(false)));
        }

        return shares;
    }
}
