using Thopter.Shared.Rest;

namespace Thopter.Laptop.Conflicts.Collection;

/// <summary>
/// One change SyncThing made to or found in a laptop folder, from its disk events: <paramref name="Local"/> when its scan
/// found the change here (made by the laptop), otherwise a devbox's change it wrote here. <paramref name="ModifiedBy"/> is
/// the short ID of the device whose change it is.
/// </summary>
public sealed record DiskChange(string Folder, string Path, bool Local, string ModifiedBy)
{
    /// <summary>The change a LocalChangeDetected or RemoteChangeDetected event describes; null for anything else.</summary>
    public static DiskChange? From(SyncthingEvent item) =>
        item.Type is "LocalChangeDetected" or "RemoteChangeDetected"
        && item.DataString("folder") is { Length: > 0 } folder
        && item.DataString("path") is { Length: > 0 } path
        && item.DataString("modifiedBy") is { Length: > 0 } modifiedBy
            ? new DiskChange(folder, path, item.Type == "LocalChangeDetected", modifiedBy)
            : null;
}
