using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Conflicts.Store;

namespace Thopter.Laptop.Status;

/// <summary>
/// Open conflicts in the store: <paramref name="Total"/>, and per devbox concerned ("" when no paired devbox is). A
/// conflict two devboxes had at the hub counts for each of them, so the counts can add up to more than the total.
/// </summary>
public sealed record OpenConflicts(IReadOnlyDictionary<string, int> ByDevbox, int Total)
{
    public static readonly OpenConflicts None = new(new Dictionary<string, int>(), 0);

    /// <summary>The open conflicts of <paramref name="folderIds"/> (every laptop folder the daemon serves).</summary>
    public static OpenConflicts Read(ConflictStore store, IEnumerable<string> folderIds)
    {
        var open = folderIds.Distinct(StringComparer.Ordinal).SelectMany(id => store.Open(id)).ToList();
        var byDevbox = open
            .SelectMany(r => ConflictCollection.DevboxesOf(r) is { Count: > 0 } devboxes ? devboxes : [string.Empty])
            .GroupBy(d => d, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new OpenConflicts(byDevbox, open.Count);
    }

    /// <summary>"box1 2, box2 1" (unnamed devices last).</summary>
    public string Describe() => string.Join(", ", ByDevbox.OrderBy(p => p.Key.Length == 0).ThenBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => $"{(p.Key.Length == 0 ? "other devices" : p.Key)} {p.Value}"));
}
