using System.Text.RegularExpressions;

namespace Thopter.Shared.Config;

/// <summary>
/// The config.xml <c>version</c> a SyncThing release writes (its <c>config.CurrentVersion</c>).
/// Writing exactly that number keeps SyncThing from migrating, archiving and rewriting our file
/// on start. The table comes from lib/config/config.go at every release tag where it changed.
/// </summary>
public static partial class ConfigVersion
{
    // (first release with this config version, config version), ascending.
    private static readonly (Version Release, int Config)[] Table =
    [
        (new Version(1, 0, 0), 28),
        (new Version(1, 2, 0), 29),
        (new Version(1, 4, 0), 30),
        (new Version(1, 7, 0), 31),
        (new Version(1, 9, 0), 32),
        (new Version(1, 13, 0), 33),
        (new Version(1, 14, 0), 35),
        (new Version(1, 19, 1), 36),
        (new Version(1, 22, 0), 37),
        (new Version(2, 0, 0), 51),
        (new Version(2, 0, 16), 52),
    ];

    /// <summary>The first config version SyncThing 2.x writes (v2.0.0).</summary>
    public const int FirstV2 = 51;

    /// <summary>The installed Debian SyncThing (v1.19.2).</summary>
    public const int V1_19 = 36;

    /// <summary>
    /// Config version for <paramref name="syncthingVersion"/>: "v1.19.2", "1.19.2", "v2.0.0-rc.1" or a
    /// whole <c>syncthing --version</c> line. Releases newer than the table within a known major map to
    /// the newest known version (SyncThing then migrates forward, which it does safely).
    /// </summary>
    /// <exception cref="ArgumentException">no version in the text, or a major version we know nothing about.</exception>
    public static int For(string syncthingVersion)
    {
        ArgumentNullException.ThrowIfNull(syncthingVersion);
        var match = ReleasePattern().Match(syncthingVersion);
        if (!match.Success)
        {
            throw new ArgumentException($"no SyncThing version (like v1.19.2) in \"{syncthingVersion}\"", nameof(syncthingVersion));
        }

        var release = new Version(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
        if (release.Major is not (1 or 2))
        {
            throw new ArgumentException($"SyncThing {match.Value} is not a 1.x or 2.x release; its config version is unknown", nameof(syncthingVersion));
        }

        var config = -1;
        foreach (var (first, version) in Table)
        {
            if (release >= first)
            {
                config = version;
            }
        }

        return config;
    }

    [GeneratedRegex(@"v?(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex ReleasePattern();
}
