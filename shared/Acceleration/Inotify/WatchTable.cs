namespace Thopter.Shared.Acceleration.Inotify;

/// <summary>Which inotify watch descriptor watches which directory, both ways. Not thread-safe: its owner locks.</summary>
internal sealed class WatchTable
{
    private readonly Dictionary<int, string> _pathOf = [];
    private readonly Dictionary<string, int> _watchOf = new(StringComparer.Ordinal);

    public int Count => _pathOf.Count;

    public string? PathOf(int watch) => _pathOf.GetValueOrDefault(watch);

    public bool Contains(string path) => _watchOf.ContainsKey(path);

    /// <summary>Records <paramref name="watch"/> for <paramref name="path"/>; the kernel hands back the same descriptor for a directory it already watches, possibly now at another path.</summary>
    public void Set(int watch, string path)
    {
        if (_pathOf.Remove(watch, out var old))
        {
            _watchOf.Remove(old);
        }

        if (_watchOf.Remove(path, out var previous))
        {
            _pathOf.Remove(previous);
        }

        _pathOf[watch] = path;
        _watchOf[path] = watch;
    }

    public void Forget(int watch)
    {
        if (_pathOf.Remove(watch, out var path))
        {
            _watchOf.Remove(path);
        }
    }

    /// <summary>Forgets <paramref name="path"/> and every directory below it; returns their descriptors.</summary>
    public List<int> ForgetTree(string path) => ForgetWhere(candidate => IsSameOrBelow(candidate, path));

    /// <summary>Forgets every directory not in <paramref name="keep"/>; returns their descriptors.</summary>
    public List<int> ForgetAllExcept(IReadOnlySet<string> keep) => ForgetWhere(candidate => !keep.Contains(candidate));

    private List<int> ForgetWhere(Func<string, bool> predicate)
    {
        var forgotten = _watchOf.Where(pair => predicate(pair.Key)).Select(pair => pair.Value).ToList();
        foreach (var watch in forgotten)
        {
            Forget(watch);
        }

        return forgotten;
    }

    private static bool IsSameOrBelow(string candidate, string path) =>
        candidate.Length >= path.Length
        && candidate.StartsWith(path, StringComparison.Ordinal)
        && (candidate.Length == path.Length || candidate[path.Length] == '/');
}
