namespace Thopter.Shared.Acceleration;

/// <summary>What to watch and how eagerly to ask SyncThing to scan it.</summary>
public sealed record AcceleratorOptions
{
    /// <summary>Absolute path of the synced folder (SyncThing's folder path).</summary>
    public required string FolderPath { get; init; }

    /// <summary>SyncThing's folder ID.</summary>
    public required string FolderId { get; init; }

    /// <summary>How long after the first change of a burst to wait for the rest of it.</summary>
    public TimeSpan CoalesceWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Full-folder scan period when inotify cannot watch everything (watch limit reached).</summary>
    public TimeSpan FallbackInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on sub paths in one request; beyond it paths collapse to parents (keeps URLs bounded).</summary>
    public int MaxPathsPerScan { get; init; } = 1000;

    /// <summary>First delay after a failed scan request; doubles up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Request one full-folder scan once the watches are in place, covering changes made before they were
    /// (SyncThing may have been running unaccelerated). Off only in tests that count exact requests.
    /// </summary>
    public bool ScanFolderOnStart { get; init; } = true;

    /// <summary>
    /// Delete SyncThing's download of a conflict copy (.syncthing.NAME.sync-conflict-….tmp) whenever it changes, and at
    /// start those left while nothing watched once they keep their size and time (see <see cref="ConflictDownloads"/>).
    /// For a devbox: the laptop collects every conflict copy out of every tree, so one arriving here would only be removed
    /// again, and a download that removal cuts short stays behind as a temp file SyncThing keeps for a day.
    /// </summary>
    public bool DropConflictCopyDownloads { get; init; }

    /// <exception cref="ArgumentException">A value is out of range; the message says which and why.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(FolderId))
        {
            throw new ArgumentException("folder ID is empty", nameof(FolderId));
        }

        if (!Path.IsPathFullyQualified(FolderPath))
        {
            throw new ArgumentException($"folder path \"{FolderPath}\" is not absolute", nameof(FolderPath));
        }

        if (!Directory.Exists(FolderPath))
        {
            throw new ArgumentException($"folder path \"{FolderPath}\" does not exist or is not a directory", nameof(FolderPath));
        }

        RequirePositive(CoalesceWindow, nameof(CoalesceWindow), allowZero: true);
        RequirePositive(FallbackInterval, nameof(FallbackInterval), allowZero: false);
        RequirePositive(RetryInitialDelay, nameof(RetryInitialDelay), allowZero: false);
        RequirePositive(RetryMaxDelay, nameof(RetryMaxDelay), allowZero: false);
        if (MaxPathsPerScan < 1)
        {
            throw new ArgumentException($"MaxPathsPerScan must be at least 1 (got {MaxPathsPerScan})", nameof(MaxPathsPerScan));
        }
    }

    private static void RequirePositive(TimeSpan value, string name, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            throw new ArgumentException($"{name} must be {(allowZero ? "zero or more" : "more than zero")} (got {value})", name);
        }
    }
}
