using System.Text;

namespace Thopter.Shared.Folders;

/// <summary>
/// The synced folder's name: one safe path segment under the home directory on both ends
/// (laptop <c>~/NAME</c>, devbox <c>~/NAME</c>). The laptop and the agent both validate with this.
/// Hidden names (leading '.') are refused: they would put SyncThing on top of dot-directories such
/// as ~/.ssh or ~/.config, and a synced folder the user cannot see in a listing invites surprises.
/// </summary>
public static class FolderName
{
    public const int MaxUtf8Bytes = 255;

    /// <summary>SyncThing folder ID for a folder name: the name itself, the same on the laptop and every devbox.</summary>
    public static string FolderIdOf(string name) => Validate(name);

    /// <summary>Separates an own folder's name from its devbox in the folder ID; refused in new folder names (see <see cref="NewFolderProblem"/>).</summary>
    public const char OwnSeparator = '@';

    /// <summary>
    /// SyncThing folder ID of a devbox's own folder: <c>NAME@DEVBOX</c>, stable for the devbox's name and distinct from
    /// every shared folder's ID (a new folder name may not contain '@') and every other devbox's.
    /// </summary>
    public static string OwnFolderIdOf(string name, string devbox) => $"{Validate(name)}{OwnSeparator}{DevboxName.Validate(devbox)}";

    /// <summary>Why <paramref name="name"/> cannot name a new folder, or null: a valid name without '@'.</summary>
    public static string? NewFolderProblem(string? name) =>
        Problem(name) ?? (name!.Contains(OwnSeparator, StringComparison.Ordinal) ? $"it contains '{OwnSeparator}', which separates an own folder from its devbox in folder IDs" : null);

    /// <summary>Returns <paramref name="name"/> when valid; otherwise throws <see cref="ArgumentException"/> with the reason and the fix.</summary>
    public static string Validate(string? name)
    {
        var problem = Problem(name);
        return problem is null
            ? name!
            : throw new ArgumentException($"invalid folder name {Quote(name)}: {problem}; use one plain name such as \"code\" (letters, digits, '-', '_', '.')", nameof(name));
    }

    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>Why <paramref name="name"/> is not a valid folder name, or null when it is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name is "." or "..")
        {
            return "it refers to a directory itself";
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            return "it contains a path separator; it must be a single directory name";
        }

        if (name.Contains('\0', StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            return "it contains control characters";
        }

        if (name[0] == '-')
        {
            return "it starts with '-' and would be taken for a command-line option";
        }

        if (name[0] == '.')
        {
            return "it starts with '.' (hidden folders are not synced, to keep dot-directories such as ~/.ssh out)";
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return "it starts or ends with whitespace";
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxUtf8Bytes)
        {
            return $"it is longer than {MaxUtf8Bytes} bytes";
        }

        return null;
    }

    private static string Quote(string? name) => name is null ? "(none)" : $"\"{Printable(name)}\"";

    // Control characters are shown escaped so an error line stays one line.
    private static string Printable(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}
