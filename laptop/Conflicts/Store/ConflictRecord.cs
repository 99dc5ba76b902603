namespace Thopter.Laptop.Conflicts.Store;

/// <summary>
/// One version set aside in the conflict store, written beside it as <c>STORED.record.json</c>: where it came from,
/// whose it is, and what stayed in the folder when it was collected. Open until resolved; kept until purged.
/// </summary>
public sealed class ConflictRecord
{
    public int Format { get; init; } = 1;

    /// <summary>The SyncThing folder ID (the store keeps each folder in its own directory).</summary>
    public required string Folder { get; init; }

    /// <summary>The file the conflict is about, relative to the synced folder.</summary>
    public required string Original { get; init; }

    /// <summary>Where the version was in the synced folder (the conflict copy's path), relative to it.</summary>
    public required string Copy { get; init; }

    /// <summary>Where the version is now, relative to the folder's directory in the store; set by the store.</summary>
    public string Stored { get; set; } = string.Empty;

    /// <summary>The time in the conflict copy's name: the clock of the device that made the copy. Null for a version a resolve replaced.</summary>
    public DateTime? ConflictTime { get; init; }

    public DateTimeOffset CollectedAt { get; init; }

    /// <summary>The version set aside (the bytes in the store).</summary>
    public required VersionFacts Aside { get; init; }

    /// <summary>The version that stayed in the folder when this one was set aside.</summary>
    public required VersionFacts Current { get; init; }

    public ConflictResolution? Resolved { get; set; }

    public bool Open => Resolved is null;
}

/// <summary>One version of a file: whose it is and what it was.</summary>
public sealed class VersionFacts
{
    /// <summary>The short (7-character) ID of the device whose version it is; null when unknown.</summary>
    public string? Device { get; init; }

    /// <summary>"laptop", the paired devbox's name, or null when the device is none of them.</summary>
    public string? Devbox { get; init; }

    public bool Exists { get; init; }

    public long Size { get; init; }

    public string? Sha256 { get; init; }

    public DateTimeOffset? Modified { get; init; }

    /// <summary>Who to name for this version: the devbox, else the short device ID, else "an unknown device".</summary>
    public string Who => Devbox ?? Device ?? "an unknown device";
}

/// <summary>How an open conflict was settled.</summary>
public sealed class ConflictResolution
{
    public DateTimeOffset At { get; init; }

    /// <summary>"current", "aside" or "both".</summary>
    public required string Keep { get; init; }

    /// <summary>For "both": where the set-aside version was restored, relative to the synced folder.</summary>
    public string? RestoredAs { get; init; }

    /// <summary>For "aside": the store entry (relative path) now holding the version that was replaced.</summary>
    public string? Replaced { get; init; }
}
