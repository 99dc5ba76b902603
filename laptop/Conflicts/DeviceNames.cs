using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Folders;

namespace Thopter.Laptop.Conflicts;

/// <summary>Names SyncThing's short device IDs the way the developer knows them: "laptop", or the paired devbox's name.</summary>
public static class DeviceNames
{
    public const string Laptop = "laptop";

    /// <summary>Short device ID to devbox name ("laptop" for this laptop).</summary>
    public static Dictionary<string, string> Of(SyncSection settings)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, entry) in settings.Devboxes)
        {
            if (entry.DeviceId.Length >= 7)
            {
                names[entry.DeviceId[..7]] = name;
            }
        }

        if (settings.DeviceId is { Length: >= 7 } laptop)
        {
            names[laptop[..7]] = Laptop;
        }

        return names;
    }

    /// <summary>The laptop's synced folder as the collector sees it, from initialized settings.</summary>
    public static CollectionTarget TargetOf(SyncSection settings, string home) =>
        new(FolderName.FolderIdOf(settings.FolderName!), settings.LaptopFolderPath(home), settings.DeviceId![..7], Of(settings));
}
