using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.ThopterConfig;
using Thopter.Laptop.Daemon.Host;

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

    /// <summary>
    /// Every laptop SyncThing folder as the collector sees it, from initialized settings: each shared folder (the default
    /// one first) and each devbox's own folder NAME@DEVBOX at ~/NAME/DEVBOX.
    /// </summary>
    public static IReadOnlyList<CollectionTarget> TargetsOf(SyncSection settings, string home)
    {
        var names = Of(settings);
        return [.. AcceleratedFolders.Of(settings, home).Select(f => new CollectionTarget(f.Id, f.LaptopPath, settings.DeviceId![..7], names))];
    }
}
