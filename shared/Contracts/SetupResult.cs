namespace Thopter.Shared.Contracts;

/// <summary>
/// <c>thopter-agent setup</c>'s stdout document, deviceId first; it never holds the API key. The laptop reads
/// deviceId, listenAddress, identity and warnings (an older agent's document has them all). <c>folder</c> is the first
/// folder set up (what a single-folder laptop reads); <c>folders</c> lists every folder of this setup (absent from an
/// agent older than several folders).
/// </summary>
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
    IReadOnlyDictionary<string, long> Timings,
    IReadOnlyList<FolderReport>? Folders = null);

public sealed record FolderReport(string Id, string Path);

public sealed record SyncthingReport(string Version, string Binary, string Home, string Config, string Install);

public sealed record IdentityReport(string Action, string Reason, string Instance, IReadOnlyList<string> Backups);

/// <summary>What setup's service step did.</summary>
/// <param name="Accelerator">"off", the accelerator unit's state ("active/running"), or "in-supervisor" (inside `thopter-agent run`).</param>
public sealed record ServiceReport(string Kind, string Action, string State, string Definition, string? FallbackReason, string? Linger, string Accelerator);

public sealed record ApiReport(string Address);

public sealed record LaptopReport(string DeviceId, string Address);
