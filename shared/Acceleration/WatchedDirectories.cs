namespace Thopter.Shared.Acceleration;

/// <summary>How many directories of a folder need an inotify watch: all but those .stignore (or SyncThing itself) keeps out of sync.</summary>
public static class WatchedDirectories
{
    public static int Count(string folderPath)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folderPath));
        var ignores = IgnoreMatcher.Load(root);
        var count = 0;
        DirectoryWalk.Walk(root, Skips, _ =>
        {
            count++;
            return WalkStep.Descend;
        });
        return count;

        bool Skips(string child)
        {
            var relative = Path.GetRelativePath(root, child).Replace(Path.DirectorySeparatorChar, '/');
            return SyncthingOwnPaths.IsInternal(relative) || ignores.SkipsDirectory(relative);
        }
    }
}
