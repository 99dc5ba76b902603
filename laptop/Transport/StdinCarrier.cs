namespace Thopter.Laptop.Transport;

/// <summary>
/// A tunnel writes to the transport's stdin, so the prefix must pass stdin on. <c>docker exec</c> (and podman's) does so
/// only with <c>-i</c>: without it the devbox would read end-of-file at once and every tunnel would close at its first
/// byte. Such a prefix gets <c>-i</c> added right after <c>exec</c>; every other prefix carries stdin as it is.
/// </summary>
public static class StdinCarrier
{
    /// <summary>The prefix that carries stdin, and whether it had to be changed.</summary>
    public static (IReadOnlyList<string> Prefix, bool Added) Ensure(IReadOnlyList<string> prefix)
    {
        if (prefix.Count < 2 || Path.GetFileName(prefix[0]) is not ("docker" or "podman") || prefix[1] != "exec")
        {
            return (prefix, false);
        }

        // Options come before the container name; the first word that is not an option (or an option's value) ends them.
        for (var i = 2; i < prefix.Count; i++)
        {
            var word = prefix[i];
            if (word is "-i" or "--interactive" or "--interactive=true" || (word.StartsWith('-') && !word.StartsWith("--", StringComparison.Ordinal) && word.Contains('i', StringComparison.Ordinal) && !TakesValue(word)))
            {
                return (prefix, false);
            }

            if (!word.StartsWith('-'))
            {
                break;
            }

            if (TakesValue(word) && !word.Contains('=', StringComparison.Ordinal))
            {
                i++;
            }
        }

        return ([prefix[0], "exec", "-i", .. prefix.Skip(2)], true);
    }

    // docker exec's options with a value: -u/--user, -w/--workdir, -e/--env, --env-file, --detach-keys.
    private static bool TakesValue(string word) =>
        word is "-u" or "--user" or "-w" or "--workdir" or "-e" or "--env" or "--env-file" or "--detach-keys";
}
