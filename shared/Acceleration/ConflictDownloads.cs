using Microsoft.Extensions.Logging;
using Thopter.Shared.Conflicts;
using Thopter.Shared.IO;

namespace Thopter.Shared.Acceleration;

/// <summary>
/// SyncThing's downloads of conflict copies on a devbox (<c>.syncthing.NAME.sync-conflict-….tmp</c>). The laptop collects
/// every conflict copy out of every tree, so one arriving here would only be removed again, and a download that removal
/// cuts short stays behind as a temp file SyncThing keeps for a day. Only names that are SyncThing's temp name of a
/// conflict copy exactly (<see cref="ConflictName.OfDownload"/>) are ever deleted, and only regular files.
/// </summary>
public sealed class ConflictDownloads(string root, ILogger logger, TimeProvider time)
{
    /// <summary>How long a download found at start must keep its size and time to count as abandoned.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Deletes a download as it changes. SyncThing's own rename of it then fails and the pull is retried later, by when
    /// the laptop has removed the copy everywhere: nothing is left to fetch.
    /// </summary>
    public void Drop(string fullPath, string relative)
    {
        if (ConflictName.OfDownload(Path.GetFileName(fullPath)) is not null)
        {
            Delete(fullPath, relative);
        }
    }

    /// <summary>
    /// Deletes downloads left in the tree while nothing was watching it (the agent was down when SyncThing began one and
    /// the laptop's removal cut it short): those that keep their size and time over <see cref="Settle"/>; one that
    /// changes meanwhile is being written and is left to <see cref="Drop"/>. Directories <paramref name="skipsDirectory"/>
    /// names (SyncThing's own, ignored ones) and symbolic links are not entered.
    /// </summary>
    /// <returns>The relative paths deleted.</returns>
    public async Task<IReadOnlyList<string>> SweepLeftAsync(Func<string, bool> skipsDirectory, CancellationToken cancellationToken)
    {
        var found = Find(skipsDirectory).ToDictionary(path => path, FileStamp.Of, StringComparer.Ordinal);
        if (found.Count == 0)
        {
            return [];
        }

        await Task.Delay(Settle, time, cancellationToken).ConfigureAwait(false);
        var deleted = new List<string>();
        foreach (var (path, before) in found)
        {
            if (FileStamp.Of(path) is { } now && now == before)
            {
                var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
                if (Delete(path, relative))
                {
                    deleted.Add(relative);
                }
            }
        }

        return deleted;
    }

    private List<string> Find(Func<string, bool> skipsDirectory)
    {
        var found = new List<string>();
        DirectoryWalk.Walk(root, skipsDirectory, directory =>
        {
            found.AddRange(DirectoryWalk.FilesIn(directory).Where(file => ConflictName.OfDownload(Path.GetFileName(file)) is not null));
            return WalkStep.Descend;
        });
        return found;
    }

    private bool Delete(string fullPath, string relative)
    {
        try
        {
            File.Delete(fullPath);
            AcceleratorLog.ConflictDownloadDropped(logger, relative);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            AcceleratorLog.ConflictDownloadNotDropped(logger, relative, error.Message);
            return false;
        }
    }
}
