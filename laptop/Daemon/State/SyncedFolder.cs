namespace Thopter.Laptop.Daemon.State;

/// <summary>One SyncThing folder a devbox syncs: a shared folder (ID NAME) or its own (ID NAME@DEVBOX).</summary>
public sealed record SyncedFolder(string Id, string Name, bool Own);
