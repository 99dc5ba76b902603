using Thopter.Shared.Rest;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// What pairing (or unpairing) changes in the laptop's SyncThing, decided before anything is changed. Empty when the
/// devbox is already paired exactly so (pairing twice changes nothing).
/// </summary>
/// <param name="PutFolders">Folders whose device list changes, and own folders registered for the devbox.</param>
/// <param name="DeleteFolders">Own folders of the devbox that stop syncing (their files stay on disk).</param>
public sealed record PairPlan(
    RestDevice? PutDevice,
    bool DeviceIsNew,
    IReadOnlyList<RestFolder> PutFolders,
    IReadOnlyList<string> RemoveDevices,
    IReadOnlyList<string> DeleteFolders)
{
    public static readonly PairPlan Nothing = new(null, false, [], [], []);

    public bool IsEmpty => PutDevice is null && PutFolders.Count == 0 && RemoveDevices.Count == 0 && DeleteFolders.Count == 0;
}
