namespace Thopter.Tests.Harness;

/// <summary>
/// A SyncThing release the tests run for real and where its binary is on this machine: v1.19.2 is Debian's
/// (/usr/bin/syncthing), v1.29.5 the newest 1.x, which scripts/bootstrap.sh unpacks from Debian trixie. Each path
/// can be overridden (THOPTER_SYNCTHING_1_19, THOPTER_SYNCTHING_1_29).
/// </summary>
public sealed record SyncthingBinary(string Version, string Path)
{
    public const string V1_19 = "v1.19.2";
    public const string V1_29 = "v1.29.5";

    /// <summary>The release most tests run (Debian's).</summary>
    public static SyncthingBinary Default => Of(V1_19);

    /// <summary>Every release of the version matrix, oldest first.</summary>
    public static IReadOnlyList<string> Versions => [.. Known.Keys];

    /// <summary>For [MemberData]: one row per release, so the version shows in each test's name.</summary>
    public static Xunit.TheoryData<string> Matrix => new(Versions);

    // Release -> (the variable that overrides its path, where scripts/bootstrap.sh puts it).
    private static readonly Dictionary<string, (string Variable, string Installed)> Known = new()
    {
        [V1_19] = ("THOPTER_SYNCTHING_1_19", SyncthingProcess.Binary),
        [V1_29] = ("THOPTER_SYNCTHING_1_29", "/opt/thopter-test/syncthing-1.29.5/syncthing"),
    };

    public static SyncthingBinary Of(string version) => Known.TryGetValue(version, out var known)
        ? new(version, Environment.GetEnvironmentVariable(known.Variable) is { Length: > 0 } path ? path : known.Installed)
        : throw new ArgumentException($"no SyncThing {version} on this machine; the tests know {string.Join(", ", Versions)}", nameof(version));

    /// <summary>The path, after checking the binary is there, with the fix when it is not.</summary>
    public string EnsureInstalled() => File.Exists(Path)
        ? Path
        : throw new FileNotFoundException($"SyncThing {Version} is not installed at {Path}: run scripts/bootstrap.sh (or set {Known[Version].Variable} to its path)", Path);

    public override string ToString() => $"SyncThing {Version} ({Path})";
}
