using Thopter.Shared.Releases;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// The devbox runs the laptop's SyncThing release, so both ends speak the same protocol and config versions; unless the
/// agent arguments pin one themselves (--syncthing-version, or --syncthing-binary for one already on the devbox).
/// </summary>
public static class SyncthingVersionPin
{
    private static readonly string[] PinningOptions = ["--syncthing-version", "--syncthing-binary"];

    /// <summary>The upstream release the laptop runs ("v1.19.2-ds1" is Debian's v1.19.2), or null when it names none.</summary>
    public static string? LaptopRelease(string reportedVersion) => ReleaseTag.FromReported(reportedVersion);

    /// <summary>The setup arguments: <paramref name="agentArgs"/>, plus the laptop's release unless they pin one.</summary>
    public static IReadOnlyList<string> SetupArguments(IReadOnlyList<string> agentArgs, string? laptopRelease) =>
        laptopRelease is null || agentArgs.Any(IsPin) ? agentArgs : [.. agentArgs, "--syncthing-version", laptopRelease];

    private static bool IsPin(string argument) =>
        PinningOptions.Any(option => argument == option || argument.StartsWith(option + "=", StringComparison.Ordinal));
}
