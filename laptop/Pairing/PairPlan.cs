using Thopter.Shared.Rest;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// What pairing changes in the laptop's SyncThing, decided before anything is changed. Empty when the devbox is
/// already paired exactly so (pairing twice changes nothing).
/// </summary>
public sealed record PairPlan(
    RestDevice? PutDevice,
    bool DeviceIsNew,
    RestFolder? PutFolder,
    IReadOnlyList<string> RemoveDevices)
{
    public bool IsEmpty => PutDevice is null && PutFolder is null && RemoveDevices.Count == 0;
}
