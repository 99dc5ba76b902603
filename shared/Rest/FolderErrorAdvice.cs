namespace Thopter.Shared.Rest;

/// <summary>
/// What to do about a folder SyncThing has stopped (state "error"), from the error text it reports in
/// /rest/db/status. SyncThing retries by itself once the cause is gone, so each fix is only the cause.
/// </summary>
public static class FolderErrorAdvice
{
    public static string Fix(string error, string folderPath)
    {
        if (error.Contains("marker missing", StringComparison.OrdinalIgnoreCase))
        {
            return $"if {folderPath} holds your files (not an empty or unmounted directory), recreate SyncThing's marker: `mkdir {folderPath}/.stfolder`";
        }

        if (error.Contains("path missing", StringComparison.OrdinalIgnoreCase))
        {
            return $"{folderPath} is gone: put it back (remount or restore it), or recreate it empty to sync everything into it again";
        }

        if (error.Contains("ignore", StringComparison.OrdinalIgnoreCase))
        {
            return $"correct the line it names in {folderPath}/.stignore (syntax: https://docs.syncthing.net/users/ignoring.html)";
        }

        if (error.Contains("space", StringComparison.OrdinalIgnoreCase))
        {
            return $"free disk space where {folderPath} lives (`df -h {folderPath}`)";
        }

        return $"see SyncThing's log or GUI for the folder at {folderPath}; it retries once the cause is fixed";
    }
}
