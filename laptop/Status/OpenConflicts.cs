using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Conflicts.Store;

namespace Thopter.Laptop.Status;

/// <summary>Open conflicts in the store, counted per devbox concerned ("" when no paired devbox is).</summary>
public sealed record OpenConflicts(IReadOnlyDictionary<string, int> ByDevbox)
{
    public static readonly OpenConflicts None = new(new Dictionary<string, int>());

    public int Total => ByDevbox.Values.Sum();

    /// <summary>The open conflicts of <paramref name="folderIds"/> (every laptop folder the daemon serves).</summary>
    public static OpenConflicts Read(ConflictStore store, IEnumerable<string> folderIds) =>
        new(folderIds.Distinct(StringComparer.Ordinal).SelectMany(id => store.Open(id)).GroupBy(ConflictCollection.Involved, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));

    /// <summary>"box1 2, box2 1" (unnamed devices last).</summary>
    public string Describe() => string.Join(", ", ByDevbox.OrderBy(p => p.Key.Length == 0).ThenBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => $"{(p.Key.Length == 0 ? "other devices" : p.Key)} {p.Value}"));
}
