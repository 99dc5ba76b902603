namespace Thopter.Laptop.Transport;

/// <summary>
/// Container exec commands pass stdin on only when asked (<c>docker exec -i</c>, <c>kubectl exec -i</c>); ssh and most
/// provider exec commands always do. A command that is sent bytes (the agent's binary, a tunnel's stream) would read
/// end-of-file at once without it, so such a prefix gets <c>-i</c> added right after <c>exec</c>; every other prefix
/// carries stdin as it is.
/// </summary>
public static class StdinCarrier
{
    private static readonly string[] ExecTools = ["docker", "podman", "nerdctl", "kubectl"];

    /// <summary>The prefix that carries stdin, and whether it had to be changed.</summary>
    public static (IReadOnlyList<string> Prefix, bool Added) Ensure(IReadOnlyList<string> prefix)
    {
        if (prefix.Count < 2 || !ExecTools.Contains(Path.GetFileName(prefix[0])) || prefix[1] != "exec")
        {
            return (prefix, false);
        }

        // Options come before the container name; the first word that is not an option (or an option's value) ends them.
        for (var i = 2; i < prefix.Count; i++)
        {
            var word = prefix[i];
            if (AsksForStdin(word))
            {
                return (prefix, false);
            }

            if (!word.StartsWith('-'))
            {
                break;
            }

            if (TakesValue(word))
            {
                i++;
            }
        }

        return ([prefix[0], "exec", "-i", .. prefix.Skip(2)], true);
    }

    // "-i", "--interactive", "--stdin" (kubectl), their "=true" forms, or -i among combined short flags ("-it").
    private static bool AsksForStdin(string word) =>
        word is "--interactive" or "--interactive=true" or "--stdin" or "--stdin=true"
        || (word.Length > 1 && word[0] == '-' && word[1] != '-' && word[1..].All(char.IsAsciiLetter) && word.Contains('i', StringComparison.Ordinal) && !TakesValue(word));

    // The exec options that take the next word as their value (docker/podman/nerdctl, and kubectl's -c/-n).
    private static bool TakesValue(string word) =>
        word is "-u" or "--user" or "-w" or "--workdir" or "-e" or "--env" or "--env-file" or "--detach-keys"
            or "-c" or "--container" or "-n" or "--namespace" or "--context";
}
