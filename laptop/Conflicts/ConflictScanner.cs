using Thopter.Shared.Conflicts;

namespace Thopter.Laptop.Conflicts;

/// <summary>One conflict copy in the synced folder.</summary>
public sealed record ConflictFile(string RelativePath, string OriginalRelativePath, ConflictName Name, bool OriginalExists);

/// <summary>Finds SyncThing's conflict copies under the synced folder (SyncThing's own .stversions and .stfolder are skipped).</summary>
public static class ConflictScanner
{
    private static readonly HashSet<string> Internal = new(StringComparer.Ordinal) { ".stversions", ".stfolder" };

    public static IReadOnlyList<ConflictFile> Scan(string folderPath)
    {
        var found = new List<ConflictFile>();
        if (!Directory.Exists(folderPath))
        {
            return found;
        }

        var pending = new Stack<string>();
        pending.Push(folderPath);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo sub)
                {
                    if (!Internal.Contains(sub.Name) && !sub.Attributes.HasFlag(FileAttributes.ReparsePoint))
                    {
                        pending.Push(sub.FullName);
                    }

                    continue;
                }

                if (ConflictName.TryParse(entry.Name) is { } name)
                {
                    var relative = Path.GetRelativePath(folderPath, entry.FullName);
                    var original = Path.Combine(Path.GetDirectoryName(relative) ?? string.Empty, name.OriginalName);
                    found.Add(new ConflictFile(relative, original, name, File.Exists(Path.Combine(folderPath, original))));
                }
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return found;
    }
}
