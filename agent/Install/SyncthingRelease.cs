using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Thopter.Agent.Install;

/// <summary>Which SyncThing release to fetch and where upstream keeps it: names follow the upstream release layout.</summary>
public sealed partial record SyncthingRelease(string Version, string Arch)
{
    /// <summary>
    /// What the agent installs when nothing says otherwise: upstream's current release. `thopter sync pair` passes the
    /// laptop's version instead, so both ends run the same SyncThing.
    /// </summary>
    public const string DefaultVersion = "v2.1.3";

    public const string DefaultMirror = "https://github.com/syncthing/syncthing/releases/download";

    public const string ChecksumListName = "sha256sum.txt.asc";

    public string ArchiveName => $"syncthing-linux-{Arch}-{Version}.tar.gz";

    public Uri ArchiveUri(Uri mirror) => Under(mirror, ArchiveName);

    public Uri ChecksumListUri(Uri mirror) => Under(mirror, ChecksumListName);

    /// <summary>Accepts <c>v1.2.3</c>, <c>1.2.3</c> and pre-release suffixes (<c>v1.2.3-rc.1</c>); returns the <c>v</c>-prefixed form.</summary>
    public static string NormalizeVersion(string input)
    {
        var trimmed = input.Trim();
        var withPrefix = trimmed.StartsWith('v') ? trimmed : "v" + trimmed;
        if (!VersionPattern().IsMatch(withPrefix))
        {
            throw new AgentException(
                ExitCodes.Usage,
                $"'{input}' is not a SyncThing version",
                $"pass --syncthing-version like {DefaultVersion}");
        }

        return withPrefix;
    }

    public static Uri ParseMirror(string input)
    {
        if (!Uri.TryCreate(input.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new AgentException(ExitCodes.Usage, $"'{input}' is not an http(s) URL", $"pass --mirror like {DefaultMirror}");
        }

        return uri;
    }

    /// <summary>Upstream publishes linux-amd64 and linux-arm64 builds under these names.</summary>
    public static string ArchFor(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        _ => throw new AgentException(
            ExitCodes.UnsupportedArchitecture,
            $"no SyncThing build is installed for {architecture}",
            "install SyncThing with the system package manager on this machine"),
    };

    private Uri Under(Uri mirror, string file) => new($"{mirror.AbsoluteUri.TrimEnd('/')}/{Version}/{file}");

    [GeneratedRegex(@"^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$")]
    private static partial Regex VersionPattern();
}
