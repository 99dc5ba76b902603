namespace Thopter.Shared.Acceleration;

/// <summary>
/// Paths SyncThing never syncs whatever .stignore says (lib/fs: IsTemporary, IsInternal): its temp files
/// while pulling, and the folder marker, ignore file and versions directory at the folder root.
/// </summary>
public static class SyncthingOwnPaths
{
    private static readonly string[] InternalNames = [".stfolder", IgnoreMatcher.FileName, ".stversions"];

    /// <param name="relativePath">Relative to the folder root with '/' separators.</param>
    public static bool IsTemporary(string relativePath)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return name.StartsWith(".syncthing.", StringComparison.Ordinal) || name.StartsWith("~syncthing~", StringComparison.Ordinal);
    }

    public static bool IsInternal(string relativePath)
    {
        foreach (var name in InternalNames)
        {
            if (relativePath == name || (relativePath.StartsWith(name, StringComparison.Ordinal) && relativePath.Length > name.Length && relativePath[name.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }
}
