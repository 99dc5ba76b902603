namespace Thopter.Laptop.Agent;

/// <summary>
/// The extra <c>thopter-agent setup</c> arguments a devbox gets: the remembered ones with the new ones merged in.
/// An option given again replaces every remembered occurrence of that option (with its values) and leaves the others
/// alone, so adding one <c>--agent-arg</c> never silently drops a remembered <c>--listen</c>. Within one list the last
/// occurrence of an option wins, as it would on a command line the user typed (setup takes each option once).
/// </summary>
public static class AgentArguments
{
    public static IReadOnlyList<string> Merge(IReadOnlyList<string> remembered, IReadOnlyList<string> given)
    {
        var added = LastOfEach(Groups(given));
        var replaced = added.Select(g => g.Option).ToHashSet(StringComparer.Ordinal);
        return [.. Groups(remembered).Where(g => !replaced.Contains(g.Option)).Concat(added).SelectMany(g => g.Words)];
    }

    /// <summary>The words of <paramref name="option"/>'s last occurrence in <paramref name="arguments"/> (the option and its values), or none.</summary>
    public static IReadOnlyList<string> Only(IReadOnlyList<string> arguments, string option) =>
        Groups(arguments).LastOrDefault(g => g.Option == option).Words ?? [];

    private static List<(string Option, List<string> Words)> LastOfEach(List<(string Option, List<string> Words)> groups) =>
        [.. groups.Where((g, i) => !groups.Skip(i + 1).Any(later => later.Option == g.Option))];

    // An option word ("--listen", "--listen=x", "-v") and the non-option words after it (its values).
    private static List<(string Option, List<string> Words)> Groups(IReadOnlyList<string> words)
    {
        var groups = new List<(string Option, List<string> Words)>();
        foreach (var word in words)
        {
            if (word.StartsWith('-') || groups.Count == 0)
            {
                groups.Add((word.Split('=', 2)[0], [word]));
            }
            else
            {
                groups[^1].Words.Add(word);
            }
        }

        return groups;
    }
}
