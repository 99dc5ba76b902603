using System.Globalization;
using System.Text.RegularExpressions;

namespace Thopter.Shared.Conflicts;

/// <summary>
/// SyncThing's conflict copy name: <c>base.sync-conflict-YYYYMMDD-HHMMSS-SHORTID.ext</c>, where <c>.ext</c> is the
/// original's last extension (possibly none), the time is the local time of the device that found the conflict, and
/// SHORTID is the first 7 characters of the ID of the device whose change won: its version is in the original file,
/// and the conflict copy holds the version that change replaced.
/// </summary>
public sealed partial record ConflictName(string OriginalName, DateTime Time, string ShortDeviceId)
{
    public static ConflictName? TryParse(string fileName)
    {
        var match = Pattern().Match(fileName);
        if (!match.Success
            || IsSyncthingTemp(fileName)
            || !DateTime.TryParseExact(match.Groups["date"].Value + match.Groups["time"].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }

        return new ConflictName(match.Groups["base"].Value + match.Groups["ext"].Value, time, match.Groups["id"].Value);
    }

    public static bool IsConflict(string fileName) => TryParse(fileName) is not null;

    /// <summary>The conflict copy SyncThing's temp file <paramref name="fileName"/> is a download of; null for any other name.</summary>
    public static ConflictName? OfDownload(string fileName) =>
        IsSyncthingTemp(fileName) ? TryParse(fileName[TempPrefixLength..^TempSuffix.Length]) : null;

    /// <summary>
    /// SyncThing's own temp file (.syncthing.NAME.tmp, ~syncthing~NAME.tmp on Windows): it writes a file there and renames
    /// it into place once complete, so a conflict copy still arriving can look like one without an extension.
    /// </summary>
    private static bool IsSyncthingTemp(string fileName) =>
        (fileName.StartsWith(".syncthing.", StringComparison.Ordinal) || fileName.StartsWith("~syncthing~", StringComparison.Ordinal))
        && fileName.EndsWith(TempSuffix, StringComparison.Ordinal) && fileName.Length > TempPrefixLength + TempSuffix.Length;

    private const int TempPrefixLength = 11;
    private const string TempSuffix = ".tmp";

    // Singleline and \z: a file name may hold any character but '/' and NUL, newlines included.
    [GeneratedRegex(@"\A(?<base>.+?)\.sync-conflict-(?<date>\d{8})-(?<time>\d{6})-(?<id>[A-Z2-7]{7})(?<ext>\.[^.]*)?\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
