namespace Thopter.Shared.Contracts;

/// <summary>
/// <c>thopter-agent status</c>'s stdout document, also printed when it exits unhealthy. The laptop reads healthy,
/// deviceId, laptopConnected, folders and problems.
/// </summary>
public sealed record StatusResult(
    bool Healthy,
    string? DeviceId,
    string? InstalledVersion,
    ServiceStatusReport Service,
    bool ApiAnswering,
    string? ApiAddress,
    string? Laptop,
    bool LaptopConnected,
    IReadOnlyList<FolderStatusReport> Folders,
    InotifyReport? Inotify,
    IReadOnlyList<string> Problems);

/// <summary>The user's inotify budget (SyncThing's watcher and the accelerator spend it); <paramref name="Fix"/> is set when it is short.</summary>
public sealed record InotifyReport(int WatchesUsed, int WatchLimit, int InstancesUsed, int InstanceLimit, string? Fix);

public sealed record ServiceStatusReport(string Supervisor, bool Installed, bool Active, string State, int MainPid);

/// <summary>A folder's state; <paramref name="Error"/> and <paramref name="Fix"/> are set when SyncThing has stopped it (state "error").</summary>
public sealed record FolderStatusReport(string Id, string Path, string State, string? Error = null, string? Fix = null);
