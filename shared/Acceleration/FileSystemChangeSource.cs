namespace Thopter.Shared.Acceleration;

/// <summary>
/// <see cref="FileSystemWatcher"/> as the change source where <see cref="Inotify.InotifyChangeSource"/> does not
/// apply (macOS: FSEvents watches a tree with one stream, so skipping ignored directories would save nothing). On Linux it is inotify underneath, adds a watch for
/// each new or moved-in directory, pairs IN_MOVED_FROM/IN_MOVED_TO into renames (unpaired ones become
/// deletes and creates), reports IN_Q_OVERFLOW as <see cref="InternalBufferOverflowException"/> and an
/// inotify_add_watch ENOSPC as an <see cref="IOException"/> with HResult 28 through its Error event. That
/// is all the control over overflow and the watch limit the accelerator needs, without P/Invoke.
/// </summary>
public sealed class FileSystemChangeSource : IChangeSource
{
    private const int ENOSPC = 28;
    private const int EMFILE = 24;

    private FileSystemWatcher? _watcher;

    public void Start(string folderPath, IChangeSink sink)
    {
        if (_watcher is not null)
        {
            throw new InvalidOperationException("the change source is already started");
        }

        var watcher = new FileSystemWatcher(folderPath)
        {
            IncludeSubdirectories = true,
            // Not LastAccess: reads would flood us with events that change nothing.
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite
                | NotifyFilters.Size | NotifyFilters.Attributes | NotifyFilters.CreationTime | NotifyFilters.Security,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => sink.PathChanged(e.FullPath);
        watcher.Changed += (_, e) => sink.PathChanged(e.FullPath);
        watcher.Deleted += (_, e) => sink.PathChanged(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            sink.PathChanged(e.OldFullPath);
            sink.PathChanged(e.FullPath);
        };
        watcher.Error += (_, e) => Report(e.GetException(), sink);
        _watcher = watcher;
        watcher.EnableRaisingEvents = true;
    }

    // FileSystemWatcher watches every directory whatever the sink skips; there is nothing to bring in line.
    public void Refresh()
    {
    }

    /// <summary>True for the errors that mean "raise fs.inotify.max_user_watches / max_user_instances".</summary>
    public static bool IsWatchLimit(Exception error) =>
        error is IOException && error is not InternalBufferOverflowException
        && (error.HResult is ENOSPC or EMFILE || error.Message.Contains("inotify", StringComparison.OrdinalIgnoreCase));

    private static void Report(Exception error, IChangeSink sink)
    {
        if (error is InternalBufferOverflowException)
        {
            sink.Overflowed();
        }
        else if (IsWatchLimit(error))
        {
            sink.WatchLimitReached(error);
        }
        else
        {
            sink.WatcherFailed(error);
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
    }
}
