namespace Thopter.Shared.Acceleration;

/// <summary>How many directories of a folder need an inotify watch: all but those .stignore (or SyncThing itself) keeps out of sync.</summary>
public static class WatchedDirectories
{
    private static readonly EnumerationOptions Children = new() { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };

    public static int Count(string folderPath)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folderPath));
        var ignores = IgnoreMatcher.Load(root);
        var count = 0;
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var directory))
        {
            count++;
            foreach (var child in Directory.EnumerateDirectories(directory, "*", Children))
            {
                var relative = Path.GetRelativePath(root, child).Replace(Path.DirectorySeparatorChar, '/');
                if (!SyncthingOwnPaths.IsInternal(relative) && !ignores.SkipsDirectory(relative))
                {
                    pending.Push(child);
                }
            }
        }

        return count;
    }
}
