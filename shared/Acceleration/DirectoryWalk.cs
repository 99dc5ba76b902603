namespace Thopter.Shared.Acceleration;

/// <summary>What a directory walk does after visiting one directory.</summary>
public enum WalkStep
{
    /// <summary>Go on into its subdirectories.</summary>
    Descend,

    /// <summary>Leave its subdirectories out.</summary>
    Skip,

    /// <summary>End the walk here.</summary>
    Stop,
}

/// <summary>
/// The directories of a synced tree, as the accelerator watches them: symbolic links are not followed (SyncThing syncs
/// the link, not its target), unreadable directories are passed over, and the walk is iterative so that a deep tree
/// cannot exhaust the stack.
/// </summary>
public static class DirectoryWalk
{
    private static readonly EnumerationOptions Entries = new()
    {
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The regular files directly in <paramref name="directory"/> (no symbolic links); none when it is gone or unreadable.</summary>
    public static IReadOnlyList<string> FilesIn(string directory)
    {
        try
        {
            return [.. Directory.EnumerateFiles(directory, "*", Entries)];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// Visits <paramref name="top"/> and every directory below it that <paramref name="skips"/> does not leave out (given
    /// the full path); false when a visit stopped the walk.
    /// </summary>
    public static bool Walk(string top, Func<string, bool> skips, Func<string, WalkStep> visit)
    {
        var pending = new Stack<string>([top]);
        while (pending.TryPop(out var directory))
        {
            switch (visit(directory))
            {
                case WalkStep.Stop:
                    return false;
                case WalkStep.Skip:
                    continue;
            }

            List<string> children;
            try
            {
                children = [.. Directory.EnumerateDirectories(directory, "*", Entries)];
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Gone or unreadable meanwhile: SyncThing cannot sync it either.
                continue;
            }

            foreach (var child in children.Where(c => !skips(c)))
            {
                pending.Push(child);
            }
        }

        return true;
    }
}
