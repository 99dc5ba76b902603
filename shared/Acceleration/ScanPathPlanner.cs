namespace Thopter.Shared.Acceleration;

/// <summary>
/// Turns a set of changed paths into the sub paths of one scan request: duplicates and paths below another
/// requested path go (SyncThing scans a sub path recursively), and when more than <c>maxPaths</c> remain the
/// deepest ones are replaced by their parent directories until the request fits, ending at the whole folder.
/// Every input path stays covered by some output path (itself or an ancestor): nothing is dropped.
/// </summary>
public static class ScanPathPlanner
{
    /// <param name="paths">Relative, '/' separated; "" means the folder root.</param>
    /// <returns>The sub paths to scan; empty means the whole folder (call only with at least one path).</returns>
    public static IReadOnlyList<string> Plan(IEnumerable<string> paths, int maxPaths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPaths, 1);
        var current = RemoveCovered(paths);
        while (current.Count > maxPaths)
        {
            var deepest = current.Max(Depth);
            if (deepest == 0)
            {
                return [];
            }

            current = RemoveCovered(current.Select(path => Depth(path) == deepest ? Parent(path) : path));
        }

        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="ancestor"/> or lies below it ("" covers all).</summary>
    public static bool Covers(string ancestor, string path) =>
        ancestor.Length == 0
        || path == ancestor
        || (path.Length > ancestor.Length && path[ancestor.Length] == '/' && path.StartsWith(ancestor, StringComparison.Ordinal));

    private static List<string> RemoveCovered(IEnumerable<string> paths)
    {
        var sorted = paths.Distinct(StringComparer.Ordinal).ToList();
        if (sorted.Contains(string.Empty))
        {
            return [];
        }

        // In segment order a directory is directly followed by its whole subtree, so the last kept path is
        // the only candidate ancestor of the next one.
        sorted.Sort(ComparePathSegments);
        var kept = new List<string>(sorted.Count);
        foreach (var path in sorted)
        {
            if (kept.Count == 0 || !Covers(kept[^1], path))
            {
                kept.Add(path);
            }
        }

        return kept;
    }

    // Orders by segments so that a directory is immediately followed by its whole subtree.
    private static int ComparePathSegments(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            if (left[i] != right[i])
            {
                if (left[i] == '/')
                {
                    return -1;
                }

                if (right[i] == '/')
                {
                    return 1;
                }

                return left[i].CompareTo(right[i]);
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    private static int Depth(string path) => path.Count(c => c == '/');

    private static string Parent(string path) => path[..path.LastIndexOf('/')];
}
