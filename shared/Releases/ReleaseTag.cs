using System.Globalization;
using System.Text.RegularExpressions;

namespace Thopter.Shared.Releases;

/// <summary>
/// Upstream SyncThing release tags (v1.19.2, v2.0.0-rc.1) from what a SyncThing reports about itself: /rest/system/version
/// or <c>--version</c>, where distributions append their own marks (Debian's "v1.19.2-ds1", package "1.19.2~ds1-1").
/// Only upstream's pre-release suffixes (-rc.N, -beta.N) belong to the tag; anything else is the distributor's.
/// </summary>
public static partial class ReleaseTag
{
    /// <summary>The upstream tag, or null when the text names no SyncThing version.</summary>
    public static string? FromReported(string? reported)
    {
        var match = reported is null ? Match.Empty : ReportedPattern().Match(reported);
        return match.Success ? $"v{match.Groups["release"].Value}{match.Groups["pre"].Value}" : null;
    }

    /// <summary>The major version of a tag or reported version (1 for v1.19.2, 2 for v2.1.3), or null when it names none.</summary>
    public static int? Major(string? version) =>
        FromReported(version) is { } tag ? int.Parse(tag[1..tag.IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"(?<![\d.])v?(?<release>\d+\.\d+\.\d+)(?<pre>-(?:rc|beta)\.\d+)?")]
    private static partial Regex ReportedPattern();
}
