using Thopter.Laptop.Errors;
using Thopter.Shared.IO;
using Thopter.Shared.Ignore;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Syncthing;

public enum SetupChange
{
    Unchanged,
    Created,
    Updated,
}

/// <summary>
/// The laptop side of the synced folder: ~/NAME with the default .stignore, registered in the
/// laptop's SyncThing with low-latency watching. Every step checks before it changes anything, so
/// running it again changes nothing.
/// </summary>
public static class SyncFolderSetup
{
    /// <summary>Seconds the watcher gathers changes before scanning: low latency without scan storms.</summary>
    public const double WatcherDelaySeconds = 1;

    /// <summary>Full rescans are only a safety net behind the watcher.</summary>
    public const int RescanIntervalSeconds = 3600;

    /// <summary>SyncThing 2.x waits pullerDelayS (default 1 s) before pulling a devbox's change; we want it at once.</summary>
    public const double PullerDelaySeconds = 0;

    public static SetupChange EnsureDirectory(string path)
    {
        if (File.Exists(path))
        {
            throw new ThopterException(ErrorKind.FileSystem, $"{path} exists and is a file, not a directory", "move the file away or choose another name with --folder");
        }

        if (Directory.Exists(path))
        {
            return SetupChange.Unchanged;
        }

        try
        {
            Directory.CreateDirectory(path);
            return SetupChange.Created;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ThopterException(ErrorKind.FileSystem, $"cannot create {path}: {error.Message}", "check the permissions of its parent directory", error);
        }
    }

    /// <summary>Adds the default ignore patterns the .stignore lacks; the user's own bytes stay as they are (also when not UTF-8).</summary>
    public static SetupChange EnsureIgnoreFile(string folderPath)
    {
        var path = Path.Combine(folderPath, StIgnore.FileName);
        try
        {
            var existing = File.Exists(path) ? File.ReadAllBytes(path) : null;
            var merged = StIgnore.MergeBytes(existing);

            // The backup goes inside .stfolder: a NAME.bak beside it would be synced to every devbox.
            var changed = AtomicFile.Write(path, merged, existing is null ? AtomicFile.PublicMode : File.GetUnixFileMode(path), StIgnore.BackupPathIn(folderPath));
            return !changed ? SetupChange.Unchanged : existing is null ? SetupChange.Created : SetupChange.Updated;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ThopterException(ErrorKind.FileSystem, $"cannot write {path}: {error.Message}", "check that the folder belongs to you and is writable", error);
        }
    }

    /// <summary>
    /// Registers the folder in SyncThing at <paramref name="path"/>, or corrects the low-latency settings of
    /// <paramref name="existing"/> (thopter's own or adopted): its path and label stay as they are, since moving a folder
    /// under SyncThing makes it stop on a missing folder marker, and devices, versioning and the rest are left alone.
    /// </summary>
    public static async Task<SetupChange> EnsureRegisteredAsync(SyncthingRestClient client, RestFolder? existing, string folderId, string label, string path, CancellationToken cancellationToken)
    {
        double? pullerDelay = await HasPullerDelayAsync(client, cancellationToken).ConfigureAwait(false) ? PullerDelaySeconds : null;
        if (existing is null)
        {
            await client.PutFolderAsync(
                new RestFolder
                {
                    Id = folderId,
                    Label = label,
                    Path = path,
                    Type = "sendreceive",
                    FsWatcherEnabled = true,
                    FsWatcherDelayS = WatcherDelaySeconds,
                    RescanIntervalS = RescanIntervalSeconds,
                    PullerDelayS = pullerDelay,
                    Paused = false,
                },
                cancellationToken).ConfigureAwait(false);
            return SetupChange.Created;
        }

        if (IsWanted(existing, pullerDelay))
        {
            return SetupChange.Unchanged;
        }

        existing.FsWatcherEnabled = true;
        existing.FsWatcherDelayS = WatcherDelaySeconds;
        existing.RescanIntervalS = RescanIntervalSeconds;
        existing.PullerDelayS = pullerDelay ?? existing.PullerDelayS;
        existing.Paused = false;
        await client.PutFolderAsync(existing, cancellationToken).ConfigureAwait(false);
        return SetupChange.Updated;
    }

    /// <summary>pullerDelayS exists from SyncThing 2.0 on; 1.x would silently ignore it.</summary>
    private static async Task<bool> HasPullerDelayAsync(SyncthingRestClient client, CancellationToken cancellationToken)
    {
        var text = (await client.GetVersionAsync(cancellationToken).ConfigureAwait(false)).Version;
        return Version.TryParse(text.TrimStart('v').Split('-', '+')[0], out var version) && version.Major >= 2;
    }

    private static bool IsWanted(RestFolder folder, double? pullerDelay) =>
        folder.FsWatcherEnabled == true
        && folder.FsWatcherDelayS == WatcherDelaySeconds
        && folder.RescanIntervalS == RescanIntervalSeconds
        && (pullerDelay is null || folder.PullerDelayS == pullerDelay)
        && folder.Paused != true;
}
