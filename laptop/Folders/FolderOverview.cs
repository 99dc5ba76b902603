using Thopter.Laptop.Pairing;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Folders;

/// <summary>One folder as one devbox syncs it: the SyncThing folder, whether it is shared with the devbox there, and how complete the devbox is.</summary>
public sealed record FolderLink(string Devbox, string FolderId, string LaptopPath, bool Shared, double? Completion, long? NeedItems);

/// <summary>Per folder and per devbox: what ~/.thopter.json says it syncs, and what the laptop's SyncThing shares and how far it is in sync.</summary>
public static class FolderOverview
{
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<FolderLink>>> ReadAsync(SyncthingRestClient client, SyncSection settings, string home, CancellationToken cancellationToken)
    {
        var overview = new Dictionary<string, IReadOnlyList<FolderLink>>(StringComparer.Ordinal);
        foreach (var folder in settings.Folders)
        {
            var links = new List<FolderLink>();
            foreach (var (devbox, entry) in settings.Devboxes.Where(d => settings.FoldersOf(d.Value).Contains(folder)))
            {
                var share = (await FolderShare.ReadAsync(client, [folder], devbox, home, cancellationToken).ConfigureAwait(false))[0];
                var id = DeviceId.TryParse(entry.DeviceId, out var parsed, out _) ? parsed : (DeviceId?)null;
                var shared = id is { } device && (share.Existing?.Devices ?? []).Any(d => DeviceId.TryParse(d.DeviceId, out var other, out _) && other == device);
                var completion = shared ? await client.GetCompletionAsync(share.Id, entry.DeviceId, cancellationToken).ConfigureAwait(false) : null;
                links.Add(new FolderLink(devbox, share.Id, share.LaptopPath, shared, completion?.Completion, completion?.NeedItems));
            }

            overview[folder.Name] = links;
        }

        return overview;
    }
}
