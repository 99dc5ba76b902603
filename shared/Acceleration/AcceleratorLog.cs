using Microsoft.Extensions.Logging;

namespace Thopter.Shared.Acceleration;

internal static partial class AcceleratorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Accelerating folder {FolderId} at {FolderPath}: scans {Window} ms after a change")]
    public static partial void Started(ILogger logger, string folderId, string folderPath, double window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FileName} not used for filtering ({Reason}); every change is scanned, which is safe")]
    public static partial void IgnoreFileUnusable(ILogger logger, string fileName, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{FileName} has #include lines; patterns from the first one on are not used for filtering (safe: those paths are scanned)")]
    public static partial void IgnoreFileHasInclude(ILogger logger, string fileName);

    [LoggerMessage(Level = LogLevel.Information, Message = "{FileName} changed: reloaded {Rules} rules, scanning the whole folder")]
    public static partial void IgnoreFileReloaded(ILogger logger, string fileName, int rules);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File change events were lost (inotify queue overflow); scanning the whole folder")]
    public static partial void Overflow(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot watch all of {FolderPath}: {Reason}. Falling back to a full-folder scan every {Interval} s. Fix: sudo sysctl fs.inotify.max_user_watches=524288 (persist it: echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/90-thopter-inotify.conf), then restart the accelerator")]
    public static partial void WatchLimit(ILogger logger, string folderPath, string reason, double interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File watcher error ({Reason}); scanning the whole folder")]
    public static partial void WatcherError(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scanned {Count} path(s) of {FolderId}")]
    public static partial void Scanned(ILogger logger, int count, string folderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SyncThing did not take the scan of {FolderId} ({Reason}); it may be busy or restarting. Keeping {Count} path(s) pending and retrying")]
    public static partial void ScanFailedFirst(ILogger logger, string folderId, string reason, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scan of {FolderId} failed again ({Reason}); retrying in {Delay} ms")]
    public static partial void ScanFailedAgain(ILogger logger, string folderId, string reason, double delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "SyncThing scans {FolderId} again after {Failures} failed attempt(s)")]
    public static partial void ScanRecovered(ILogger logger, string folderId, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped SyncThing's download of the conflict copy {Path}: the laptop collects every conflict copy out of every tree")]
    public static partial void ConflictDownloadDropped(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not drop SyncThing's download of the conflict copy {Path} ({Reason}); SyncThing removes it after a day")]
    public static partial void ConflictDownloadNotDropped(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for conflict copy downloads left in {Root} ({Reason}); SyncThing removes them after a day")]
    public static partial void LeftDownloadsNotSwept(ILogger logger, string root, string reason);
}
