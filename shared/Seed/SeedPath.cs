using Thopter.Shared.Acceleration;

namespace Thopter.Shared.Seed;

/// <summary>
/// Which relative paths a seed stream may carry: plain '/'-separated segments inside the folder (no absolute path, no
/// "." or "..", no empty segment, no NUL), and none of SyncThing's own (its marker, ignore file, versions, temp files),
/// which the writer never sends and the reader refuses, so a stream cannot reach outside the folder or into SyncThing's state.
/// </summary>
public static class SeedPath
{
    /// <summary>Why <paramref name="path"/> cannot be a seed entry, or null when it can.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0)
        {
            return "the path is empty";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "the path holds a NUL byte";
        }

        if (path.StartsWith('/'))
        {
            return "the path is absolute";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return $"the path has a \"{segment}\" segment";
            }
        }

        return SyncthingOwnPaths.IsInternal(path) || SyncthingOwnPaths.IsTemporary(path) ? "the path is one of SyncThing's own" : null;
    }
}
