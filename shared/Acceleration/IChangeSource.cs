namespace Thopter.Shared.Acceleration;

/// <summary>Watches a folder tree and reports what happened in it. The seam between the kernel and the accelerator.</summary>
public interface IChangeSource : IDisposable
{
    /// <summary>Starts watching recursively; returns once the watches are in place.</summary>
    /// <exception cref="IOException">Watching could not start (e.g. the inotify instance limit).</exception>
    void Start(string folderPath, IChangeSink sink);

    /// <summary>What <see cref="IChangeSink.SkipsDirectory"/> answers changed (the ignore patterns were edited): watch accordingly.</summary>
    void Refresh();
}

/// <summary>Receives reports from an <see cref="IChangeSource"/>; called from any thread.</summary>
public interface IChangeSink
{
    /// <summary>True when nothing at or below this directory is synced, so it needs no watch (a source may still report it).</summary>
    bool SkipsDirectory(string fullPath);

    /// <summary>Something at this absolute path was created, written, had attributes changed, was deleted or renamed.</summary>
    void PathChanged(string fullPath);

    /// <summary>Events were lost (kernel queue overflow): anything may have changed.</summary>
    void Overflowed();

    /// <summary>Part of the tree could not be watched because the inotify watch limit is exhausted.</summary>
    void WatchLimitReached(Exception error);

    /// <summary>Any other watcher error; events may have been lost.</summary>
    void WatcherFailed(Exception error);
}
