using Thopter.Shared.Acceleration;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration;

/// <summary>
/// Stands in for SyncThing's REST API in unit tests. Records every successful scan request and, like
/// SyncThing, reads the real file system under each requested path into an index at that moment. The
/// index matching the disk at the end is the proof that no change was missed: a lost event leaves a stale
/// or missing entry. Can fail requests the way SyncThing does while busy or restarting.
/// </summary>
internal sealed class RecordingFolderScanner : IFolderScanner
{
    private readonly object _gate = new();
    private readonly string _expectedFolderId;
    private readonly string _folder;
    private readonly List<IReadOnlyList<string>> _succeeded = [];
    private readonly Dictionary<string, EntryState> _index;
    private readonly SortedSet<string> _indexKeys;
    private int _attempts;

    /// <param name="folder">The folder as SyncThing last scanned it: its current content is the starting index.</param>
    public RecordingFolderScanner(string expectedFolderId, string folder)
    {
        _expectedFolderId = expectedFolderId;
        _folder = folder;
        _index = ReadTree(string.Empty);
        _indexKeys = new SortedSet<string>(_index.Keys, StringComparer.Ordinal);
    }

    /// <summary>Given the 1-based attempt number, the exception to fail it with, or null to succeed.</summary>
    public Func<int, Exception?> Failure { get; set; } = _ => null;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Sub paths of each successful request, in order (empty for a whole-folder scan).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Succeeded
    {
        get
        {
            lock (_gate)
            {
                return [.. _succeeded];
            }
        }
    }

    public Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, CancellationToken ct)
    {
        Assert.Equal(_expectedFolderId, folderId);
        var attempt = Interlocked.Increment(ref _attempts);
        if (Failure(attempt) is { } error)
        {
            return Task.FromException(error);
        }

        lock (_gate)
        {
            foreach (var sub in subPaths.Count == 0 ? [string.Empty] : subPaths)
            {
                foreach (var stale in IndexedAtOrBelow(sub).ToList())
                {
                    _index.Remove(stale);
                    _indexKeys.Remove(stale);
                }

                foreach (var (path, state) in ReadTree(sub))
                {
                    _index[path] = state;
                    _indexKeys.Add(path);
                }
            }

            _succeeded.Add([.. subPaths]);
        }

        return Task.CompletedTask;
    }

    /// <summary>Differences between the index and the disk at and below each of <paramref name="paths"/>.</summary>
    public List<string> Differences(IEnumerable<string> paths)
    {
        var differences = new List<string>();
        lock (_gate)
        {
            foreach (var path in paths)
            {
                var onDisk = ReadTree(path);
                var indexed = IndexedAtOrBelow(path).ToDictionary(key => key, key => _index[key]);
                differences.AddRange(onDisk.Where(entry => !indexed.TryGetValue(entry.Key, out var state) || state != entry.Value).Select(entry => $"{entry.Key}: stale or missing"));
                differences.AddRange(indexed.Keys.Where(key => !onDisk.ContainsKey(key)).Select(key => $"{key}: deleted but still indexed"));
            }
        }

        return differences;
    }

    /// <summary>Every sub path requested by a successful scan (flattened; "" for a whole-folder scan).</summary>
    public List<string> AllSubPaths() =>
        Succeeded.SelectMany(subs => subs.Count == 0 ? [string.Empty] : subs).ToList();

    private IEnumerable<string> IndexedAtOrBelow(string path)
    {
        if (path.Length == 0)
        {
            return _indexKeys;
        }

        // Keys below "p" sort between "p/" and "p0" ('0' follows '/').
        var below = _indexKeys.GetViewBetween(path + "/", path + "0").Where(key => key != path + "0");
        return _index.ContainsKey(path) ? below.Prepend(path) : below;
    }

    // The entries at and below a relative path as they are on disk now; vanishing entries are skipped, as a scanner would.
    private Dictionary<string, EntryState> ReadTree(string relative)
    {
        var entries = new Dictionary<string, EntryState>(StringComparer.Ordinal);
        var full = relative.Length == 0 ? _folder : Path.Combine(_folder, relative);
        try
        {
            if (File.Exists(full))
            {
                entries[relative] = new EntryState(false, File.ReadAllText(full), File.GetUnixFileMode(full));
                return entries;
            }

            if (!Directory.Exists(full))
            {
                return entries;
            }

            if (relative.Length > 0)
            {
                entries[relative] = new EntryState(true, null, File.GetUnixFileMode(full));
            }

            foreach (var entry in new DirectoryInfo(full).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                var path = Path.GetRelativePath(_folder, entry.FullName);
                entries[path] = entry is FileInfo
                    ? new EntryState(false, File.ReadAllText(entry.FullName), entry.UnixFileMode)
                    : new EntryState(true, null, entry.UnixFileMode);
            }
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            // Changed while we read it: the event for that change brings another scan.
        }

        return entries;
    }

    private sealed record EntryState(bool IsDirectory, string? Content, UnixFileMode Mode);
}
