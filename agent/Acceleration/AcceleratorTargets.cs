using Thopter.Shared.Config;
using Thopter.Shared.Devices;

namespace Thopter.Agent.Acceleration;

/// <summary>One synced folder to accelerate: SyncThing's folder ID and its absolute path.</summary>
public sealed record AcceleratedFolder(string Id, string Path);

/// <summary>
/// What the accelerator needs from SyncThing's config.xml: where the REST API listens, its key, and the folders shared
/// with another device. Read from the file on disk, so no secret ever travels on a command line. Two snapshots are equal
/// when they would run the same accelerators (the key is compared but never printed).
/// </summary>
public sealed record AcceleratorTargets(string GuiAddress, string ApiKey, IReadOnlyList<AcceleratedFolder> Folders)
{
    public bool Equals(AcceleratorTargets? other) =>
        other is not null && GuiAddress == other.GuiAddress && ApiKey == other.ApiKey && Folders.SequenceEqual(other.Folders);

    public override int GetHashCode() => HashCode.Combine(GuiAddress, Folders.Count);

    public override string ToString() => $"API {GuiAddress}, folders {string.Join(", ", Folders.Select(f => $"{f.Id} at {f.Path}"))}";

    /// <summary>
    /// The targets in <paramref name="config"/>: unpaused folders shared with any device other than <paramref name="self"/>
    /// (null: any device at all). A path starting with ~ is taken relative to <paramref name="userHome"/>, as SyncThing does.
    /// </summary>
    /// <returns>The targets, or the reason there are none (for the log and the startup error).</returns>
    public static (AcceleratorTargets? Targets, string? Problem) From(SyncthingConfigDocument config, DeviceId? self, string userHome)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Gui is not { Enabled: true } gui || gui.Address.Length == 0 || gui.ApiKey.Length == 0)
        {
            return (null, "config.xml has no enabled GUI/REST address with an API key");
        }

        var folders = config.Folders
            .Where(f => !f.Paused && f.Devices.Any(d => d != self))
            .Select(f => new AcceleratedFolder(f.Id, ExpandHome(f.Path, userHome)))
            .OrderBy(f => f.Id, StringComparer.Ordinal)
            .ToList();
        return folders.Count == 0
            ? (null, "config.xml shares no (unpaused) folder with another device")
            : (new AcceleratorTargets(gui.Address, gui.ApiKey, folders), null);
    }

    private static string ExpandHome(string path, string userHome) =>
        path == "~" ? userHome
        : path.StartsWith("~/", StringComparison.Ordinal) ? System.IO.Path.Combine(userHome, path[2..])
        : path;
}
