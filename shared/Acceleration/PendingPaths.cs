namespace Thopter.Shared.Acceleration;

/// <summary>Changed paths not yet covered by a successful scan. Thread-safe; "" (the whole folder) absorbs the rest.</summary>
internal sealed class PendingPaths
{
    private readonly object _gate = new();
    private HashSet<string> _paths = new(StringComparer.Ordinal);
    private bool _wholeFolder;

    public void Add(string relativePath)
    {
        lock (_gate)
        {
            if (_wholeFolder)
            {
                return;
            }

            if (relativePath.Length == 0)
            {
                _wholeFolder = true;
                _paths.Clear();
                return;
            }

            _paths.Add(relativePath);
        }
    }

    public void AddRange(IEnumerable<string> relativePaths)
    {
        foreach (var path in relativePaths)
        {
            Add(path);
        }
    }

    /// <summary>Removes and returns everything pending: [""] for the whole folder, [] when nothing is.</summary>
    public IReadOnlyCollection<string> TakeAll()
    {
        lock (_gate)
        {
            if (_wholeFolder)
            {
                _wholeFolder = false;
                return [string.Empty];
            }

            var taken = _paths;
            _paths = new HashSet<string>(StringComparer.Ordinal);
            return taken;
        }
    }
}
