namespace Thopter.Shared.Ignore;

/// <summary>
/// The .stignore thopter wants in every synced folder: build output, dependency trees, caches and
/// editor droppings that are large, machine-specific or rebuilt anyway. Merging only ever appends
/// missing defaults below the user's own lines, which stay exactly as they were.
/// </summary>
public static class StIgnore
{
    public const string FileName = ".stignore";

    /// <summary>SyncThing's folder marker directory; nothing under it is ever synced.</summary>
    public const string FolderMarker = ".stfolder";

    public const string Header = "// thopter sync defaults (to sync one of these, change its line to !PATTERN)";

    public static IReadOnlyList<string> DefaultPatterns { get; } =
    [
        ".git",
        "node_modules",
        "dist",
        ".next",
        "__pycache__",
        "*.pyc",
        ".venv",
        ".DS_Store",
        "Thumbs.db",
        "*.swp",
        "*.swo",
        "*~",
    ];

    /// <summary>Where a changed .stignore's previous bytes are kept: inside the folder marker, which SyncThing never syncs.</summary>
    public static string BackupPathIn(string folderPath) => Path.Combine(folderPath, FolderMarker, FileName + ".bak");

    /// <summary>
    /// <see cref="Merge(string?)"/> on the file's bytes, which stay exactly as they were, also where they are not UTF-8:
    /// Latin-1 maps each byte to one char and back, and every pattern we add is ASCII.
    /// </summary>
    public static byte[] MergeBytes(ReadOnlySpan<byte> existing) =>
        System.Text.Encoding.Latin1.GetBytes(Merge(System.Text.Encoding.Latin1.GetString(existing)));

    /// <summary>
    /// <paramref name="existing"/> with every default it lacks appended (under <see cref="Header"/>).
    /// A default counts as present when a line names it, also negated (!) or with SyncThing's
    /// (?d)/(?i) prefixes, so a user's decision about a pattern is never overridden.
    /// Idempotent: Merge(Merge(x)) == Merge(x); content with nothing missing is returned unchanged.
    /// </summary>
    public static string Merge(string? existing)
    {
        existing ??= string.Empty;
        var newline = existing.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = existing.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var present = lines.Select(PatternOf).ToHashSet(StringComparer.Ordinal);
        var missing = DefaultPatterns.Where(p => !present.Contains(p)).ToList();
        if (missing.Count == 0)
        {
            return existing;
        }

        var merged = new System.Text.StringBuilder(existing);
        if (existing.Length > 0 && !existing.EndsWith('\n'))
        {
            merged.Append(newline);
        }

        if (!lines.Contains(Header, StringComparer.Ordinal))
        {
            if (existing.Trim().Length > 0)
            {
                merged.Append(newline);
            }

            merged.Append(Header).Append(newline);
        }

        foreach (var pattern in missing)
        {
            merged.Append(pattern).Append(newline);
        }

        return merged.ToString();
    }

    private static string PatternOf(string line)
    {
        var pattern = line.Trim();
        while (true)
        {
            if (pattern.StartsWith('!'))
            {
                pattern = pattern[1..];
            }
            else if (pattern.StartsWith("(?d)", StringComparison.Ordinal) || pattern.StartsWith("(?i)", StringComparison.Ordinal))
            {
                pattern = pattern[4..];
            }
            else
            {
                return pattern;
            }
        }
    }
}
