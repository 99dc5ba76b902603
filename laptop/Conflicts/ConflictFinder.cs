using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Laptop.Errors;

namespace Thopter.Laptop.Conflicts;

/// <summary>An open conflict and the laptop folder it belongs to.</summary>
public sealed record FoundConflict(CollectionTarget Target, ConflictRecord Record)
{
    /// <summary>The file in conflict, as a full path on the laptop.</summary>
    public string FullPath => Path.Combine(Target.FolderPath, Record.Original);
}

/// <summary>
/// Finds the open conflict a PATH given to `conflicts show|resolve` names, in whichever laptop folder it lies: an
/// absolute path in its folder; a relative one against the current directory when that lies in a folder and names a
/// conflict there, else against each folder. A relative path open in two folders is refused, naming both.
/// </summary>
public static class ConflictFinder
{
    public static FoundConflict Find(ConflictStore store, IReadOnlyList<CollectionTarget> targets, string path, string currentDirectory)
    {
        var full = Path.GetFullPath(path, currentDirectory);
        var here = Containing(targets, full);
        var found = here is not null ? Matches(store, here, Path.GetRelativePath(here.FolderPath, full)) : [];
        if (found.Count == 0 && !Path.IsPathRooted(path))
        {
            found = [.. targets.SelectMany(t => Matches(store, t, Path.GetRelativePath(t.FolderPath, Path.GetFullPath(path, t.FolderPath))))];
        }

        var folders = found.Select(f => f.Target).Distinct().ToList();
        if (folders.Count > 1)
        {
            throw new ThopterException(
                ErrorKind.BadInput,
                $"{path} has open conflicts in {folders.Count} folders: {string.Join(" and ", found.Select(f => f.FullPath).Distinct())}",
                $"pass the full path of the one you mean, e.g. `thopter sync conflicts show {found[0].FullPath}`");
        }

        return found.Count switch
        {
            1 => found[0],
            0 => throw new ThopterException(ErrorKind.NotFound, $"{path} has no open conflict", "pass a path listed by `thopter sync conflicts`"),
            _ => throw new ThopterException(
                ErrorKind.BadInput,
                $"{path} has {found.Count} open conflicts ({string.Join(", ", found.Select(f => f.Record.Copy))})",
                "pass the conflict copy's name to choose one"),
        };
    }

    /// <summary>The folder holding <paramref name="full"/> (the innermost one when folders nest), or null.</summary>
    private static CollectionTarget? Containing(IReadOnlyList<CollectionTarget> targets, string full) => targets
        .Where(t => !Outside(Path.GetRelativePath(t.FolderPath, full)))
        .MaxBy(t => t.FolderPath.Length);

    /// <summary>The open conflicts of one folder that <paramref name="relative"/> names: by its copy's name first, else by the file.</summary>
    private static IReadOnlyList<FoundConflict> Matches(ConflictStore store, CollectionTarget target, string relative)
    {
        if (Outside(relative))
        {
            return [];
        }

        var open = store.Open(target.FolderId);
        var byCopy = open.Where(r => r.Copy == relative || r.Stored == relative).ToList();
        var chosen = byCopy.Count == 1 ? byCopy : open.Where(r => r.Original == relative).ToList();
        return [.. chosen.Select(r => new FoundConflict(target, r))];
    }

    private static bool Outside(string relative) =>
        relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative);
}
