using Thopter.Laptop.Errors;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Laptop.Folders;

/// <summary>
/// Which folders a devbox syncs after `pair DEVBOX [--folder NAME]...`: the chosen ones added to what it syncs already
/// (pair only widens; `unpair --folder` narrows). A devbox that records no list syncs every folder, and keeps doing so.
/// </summary>
public static class FolderChoice
{
    /// <returns>The folders to share and the list to record (null: every folder).</returns>
    public static (IReadOnlyList<SyncFolder> Folders, List<string>? Record) ForPair(SyncSection settings, DevboxEntry? recorded, IReadOnlyList<string> chosen)
    {
        CheckKnown(settings, chosen);
        List<string>? record = chosen.Count == 0 || (recorded is not null && recorded.Folders is null)
            ? recorded?.Folders is { } kept ? [.. kept] : null
            : [.. settings.Folders.Select(f => f.Name).Where(n => chosen.Contains(n) || (recorded?.Folders?.Contains(n) ?? false))];
        var entry = new DevboxEntry { Folders = record };
        return (settings.FoldersOf(entry), record);
    }

    /// <returns>The folders that stop syncing and the list left to record.</returns>
    public static (IReadOnlyList<SyncFolder> Removed, List<string> Record) ForUnpair(SyncSection settings, DevboxEntry recorded, IReadOnlyList<string> chosen)
    {
        CheckKnown(settings, chosen);
        var before = settings.FoldersOf(recorded);
        var removed = before.Where(f => chosen.Contains(f.Name)).ToList();
        return (removed, [.. before.Where(f => !chosen.Contains(f.Name)).Select(f => f.Name)]);
    }

    private static void CheckKnown(SyncSection settings, IReadOnlyList<string> chosen)
    {
        if (chosen.FirstOrDefault(name => settings.Folder(name) is null) is { } unknown)
        {
            throw new ThopterException(
                ErrorKind.BadInput,
                $"--folder {unknown}: no such folder (folders: {string.Join(", ", settings.Folders.Select(f => f.Name))})",
                $"add it first with `thopter sync init --folder {unknown}` (or `--own`), or see `thopter sync folders`");
        }
    }

    /// <summary>The <c>thopter-agent setup</c> words for <paramref name="folders"/> on <paramref name="devbox"/>.</summary>
    public static IReadOnlyList<string> SetupArguments(IReadOnlyList<SyncFolder> folders, string devbox)
    {
        var words = new List<string>();
        foreach (var folder in folders)
        {
            words.AddRange([folder.IsOwn ? "--own-folder" : "--folder", folder.Name]);
        }

        if (folders.Any(f => f.IsOwn))
        {
            words.AddRange(["--devbox-name", devbox]);
        }

        return words;
    }
}
