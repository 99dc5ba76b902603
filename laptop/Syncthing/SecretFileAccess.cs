namespace Thopter.Laptop.Syncthing;

/// <summary>
/// Whether a file holding SyncThing's API key is its owner's alone. Anyone who can read the key (or replace the file
/// with a key of their own SyncThing) controls the laptop's SyncThing, so a key file open to the group or others, or
/// owned by someone else, is refused rather than used.
/// </summary>
public static class SecretFileAccess
{
    private const UnixFileMode OpenToOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>What is wrong with <paramref name="path"/>'s owner or mode, with its fix; null when only its owner can reach it.</summary>
    public static (string Reason, string Fix)? Problem(string path)
    {
        if (FileOwner.Of(path) is { } owner && owner != FileOwner.CurrentUser)
        {
            return ($"{path} holds SyncThing's API key but belongs to another user (uid {owner})",
                $"copy it into a file of your own: `install -m 600 {path} ~/.config/thopter-api.key`, and use that one");
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & OpenToOthers) != 0)
        {
            return ($"{path} holds SyncThing's API key but has mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}: other users can read or change it",
                $"`chmod 600 {path}`, then run this again");
        }

        return null;
    }
}
