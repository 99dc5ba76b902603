namespace Thopter.Agent.Setup;

/// <summary>setup's stdout document; deviceId first. It never holds the API key.</summary>
public sealed record SetupResult(
    string DeviceId,
    FolderReport Folder,
    SyncthingReport Syncthing,
    IdentityReport Identity,
    ServiceReport Supervisor,
    ApiReport Api,
    string ListenAddress,
    LaptopReport Laptop,
    bool ConfigChanged,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, long> Timings);

public sealed record FolderReport(string Id, string Path);

public sealed record SyncthingReport(string Version, string Binary, string Home, string Config, string Install);

public sealed record IdentityReport(string Action, string Reason, string Instance, IReadOnlyList<string> Backups);

public sealed record ApiReport(string Address);

public sealed record LaptopReport(string DeviceId, string Address);

/// <summary>status's stdout document.</summary>
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

/// <summary>prepare-snapshot's stdout document. <paramref name="SetAside"/>: where the key pair went (setup on this instance puts it back).</summary>
public sealed record PrepareSnapshotResult(string Supervisor, bool Stopped, string Service, IReadOnlyList<string> SetAside);

/// <summary>guard-identity's stdout document.</summary>
public sealed record GuardIdentityResult(string DeviceId, IdentityReport Identity);

/// <summary>reset-identity's stdout document.</summary>
public sealed record ResetIdentityResult(string DeviceId, string? PreviousDeviceId, IReadOnlyList<string> Backups, string ServiceAction);

/// <summary>uninstall's stdout document.</summary>
public sealed record UninstallResult(string Supervisor, bool Removed, string FolderNote);
