using Thopter.Shared.Contracts;

namespace Thopter.Agent.Setup;

/// <summary>prepare-snapshot's stdout document. <paramref name="SetAside"/>: where the key pair went (setup on this instance puts it back).</summary>
public sealed record PrepareSnapshotResult(string Supervisor, bool Stopped, string Service, IReadOnlyList<string> SetAside);

/// <summary>guard-identity's stdout document.</summary>
public sealed record GuardIdentityResult(string DeviceId, IdentityReport Identity);

/// <summary>reset-identity's stdout document.</summary>
public sealed record ResetIdentityResult(string DeviceId, string? PreviousDeviceId, IReadOnlyList<string> Backups, string ServiceAction);

/// <summary>uninstall's stdout document.</summary>
public sealed record UninstallResult(string Supervisor, bool Removed, string FolderNote);
