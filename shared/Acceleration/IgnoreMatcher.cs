namespace Thopter.Shared.Acceleration;

/// <summary>
/// Decides whether a change under the folder can be left alone because SyncThing ignores the path, following
/// SyncThing v1.19's .stignore semantics (lib/ignore): trimmed lines, <c>//</c> comments, prefixes <c>!</c>,
/// <c>(?i)</c>, <c>(?d)</c> in any order, a leading <c>/</c> anchors to the folder root, unanchored patterns
/// also match in every subdirectory, a pattern also covers everything below a matching directory, and the
/// first matching pattern wins.
/// Where we cannot be sure we do not ignore: a needless scan is cheap, a missed change is not. So patterns
/// from the first <c>#include</c> on are dropped (included files could only un-ignore or ignore more), and
/// a file SyncThing would reject as a whole (bad pattern) ignores nothing, as it does in SyncThing.
/// </summary>
public sealed class IgnoreMatcher
{
    public const string FileName = ".stignore";

    public static IgnoreMatcher Empty { get; } = new([], null, hasInclude: false);

    private readonly IReadOnlyList<Rule> _rules;

    // Asked once per directory of a tree walk (hundreds of thousands in a node_modules): decided once.
    private readonly bool _hasNegation;

    private IgnoreMatcher(IReadOnlyList<Rule> rules, string? parseError, bool hasInclude)
    {
        _rules = rules;
        _hasNegation = rules.Any(static rule => !rule.Ignores);
        ParseError = parseError;
        HasInclude = hasInclude;
    }

    /// <summary>Why the patterns were discarded (SyncThing discards them too), or null.</summary>
    public string? ParseError { get; }

    /// <summary>True when an <c>#include</c> cut the patterns short.</summary>
    public bool HasInclude { get; }

    public int RuleCount => _rules.Count;

    /// <summary>
    /// True when nothing below this directory can be synced, so it needs no watch: it is ignored and no
    /// <c>!</c> pattern exists that could take something below it back (SyncThing walks into ignored
    /// directories for the same reason only when negations exist).
    /// </summary>
    public bool SkipsDirectory(string relativePath) => !_hasNegation && IsIgnored(relativePath);

    /// <summary>Reads <c>.stignore</c> at the folder root; a missing or unreadable file ignores nothing.</summary>
    public static IgnoreMatcher Load(string folderPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(folderPath, FileName));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return error is FileNotFoundException or DirectoryNotFoundException
                ? Empty
                : new IgnoreMatcher([], $"cannot read {FileName}: {error.Message}", hasInclude: false);
        }

        return Parse(text);
    }

    public static IgnoreMatcher Parse(string text)
    {
        var rules = new List<Rule>();
        var hasInclude = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("#include", StringComparison.Ordinal))
            {
                hasInclude = true;
                break;
            }

            try
            {
                AddLine(line, rules);
            }
            catch (FormatException error)
            {
                return new IgnoreMatcher([], $"invalid pattern \"{line}\": {error.Message}", hasInclude: false);
            }
        }

        return new IgnoreMatcher(rules, null, hasInclude);
    }

    /// <param name="relativePath">Relative to the folder root, '/' separators; "" is the root itself.</param>
    public bool IsIgnored(string relativePath)
    {
        if (relativePath.Length == 0)
        {
            return false;
        }

        string? folded = null;
        foreach (var rule in _rules)
        {
            var candidate = rule.FoldCase ? folded ??= relativePath.ToLowerInvariant() : relativePath;
            if (rule.Glob.IsMatch(candidate))
            {
                return rule.Ignores;
            }
        }

        return false;
    }

    // A line expands like SyncThing's: "x/**" stays, "x/" becomes "x/**", anything else also gets "x/**"
    // so a matching directory covers its contents.
    private static void AddLine(string line, List<Rule> rules)
    {
        if (line.EndsWith("/**", StringComparison.Ordinal))
        {
            AddPattern(line, rules);
        }
        else if (line.EndsWith('/'))
        {
            AddPattern(line + "**", rules);
        }
        else
        {
            AddPattern(line, rules);
            AddPattern(line + "/**", rules);
        }
    }

    private static void AddPattern(string line, List<Rule> rules)
    {
        var ignores = true;
        // SyncThing folds case by default where the file system does (macOS); never on Linux.
        var foldCase = OperatingSystem.IsMacOS();
        bool seenNegation = false, seenFold = false, seenDeletable = false;
        while (true)
        {
            if (!seenNegation && line.StartsWith('!'))
            {
                seenNegation = true;
                ignores = false;
                line = line[1..];
            }
            else if (!seenFold && line.StartsWith("(?i)", StringComparison.Ordinal))
            {
                seenFold = true;
                foldCase = true;
                line = line[4..];
            }
            else if (!seenDeletable && line.StartsWith("(?d)", StringComparison.Ordinal))
            {
                seenDeletable = true;
                line = line[4..];
            }
            else
            {
                break;
            }
        }

        if (line.Length == 0)
        {
            // "!" or "(?d)" alone: SyncThing rejects the whole file.
            throw new FormatException("missing pattern");
        }

        if (foldCase)
        {
            line = line.ToLowerInvariant();
        }

        if (line.StartsWith('/'))
        {
            rules.Add(new Rule(GlobPattern.Compile(line[1..]), ignores, foldCase));
        }
        else if (line.StartsWith("**/", StringComparison.Ordinal))
        {
            rules.Add(new Rule(GlobPattern.Compile(line), ignores, foldCase));
            rules.Add(new Rule(GlobPattern.Compile(line[3..]), ignores, foldCase));
        }
        else
        {
            rules.Add(new Rule(GlobPattern.Compile(line), ignores, foldCase));
            rules.Add(new Rule(GlobPattern.Compile("**/" + line), ignores, foldCase));
        }
    }

    private sealed record Rule(GlobPattern Glob, bool Ignores, bool FoldCase);
}
