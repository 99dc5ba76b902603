namespace Thopter.Laptop.Transport;

/// <summary>
/// Container exec commands pass stdin on only when asked (<c>docker exec -i</c>); ssh and most provider exec commands
/// always do. A command that is sent bytes (the agent's binary) gets <c>-i</c> added after <c>exec</c> when its prefix
/// is such an exec command without it; the recorded prefix stays as the user wrote it.
/// </summary>
public static class StdinForwarding
{
    private static readonly string[] ExecTools = ["docker", "podman", "nerdctl", "kubectl"];

    public static IReadOnlyList<string> Prefix(IReadOnlyList<string> prefix)
    {
        if (prefix.Count < 2 || !ExecTools.Contains(Path.GetFileName(prefix[0])) || prefix[1] != "exec" || prefix.Skip(2).Any(AsksForStdin))
        {
            return prefix;
        }

        return [prefix[0], "exec", "-i", .. prefix.Skip(2)];
    }

    // "-i", "--interactive", "--interactive=true", or -i among combined short flags ("-it").
    private static bool AsksForStdin(string word) =>
        word is "--interactive" or "--stdin" || word.StartsWith("--interactive=", StringComparison.Ordinal) || word.StartsWith("--stdin=", StringComparison.Ordinal)
        || (word.Length > 1 && word[0] == '-' && word[1] != '-' && word[1..].All(char.IsAsciiLetter) && word.Contains('i', StringComparison.Ordinal));
}
