namespace Thopter.Shared.Releases;

/// <summary>
/// SyncThing's command line per major version (cmd/syncthing at v1.19.2, v1.29.5, v2.1.3). 2.x made the device ID a
/// subcommand (<c>serve --device-id</c> is gone), renamed generate's <c>--skip-port-probing</c> to
/// <c>--no-port-probing</c>, and formats its log lines itself (<c>--logflags</c> is accepted and ignored; an empty
/// <c>--log-format-timestamp</c> drops the timestamp the journal adds anyway). A null version means 1.x.
/// </summary>
public static class SyncthingCli
{
    public static bool IsV2(string? version) => ReleaseTag.Major(version) >= 2;

    public static IReadOnlyList<string> Serve(string? version, string home) => IsV2(version)
        ? ["serve", "--no-browser", "--no-restart", "--log-format-timestamp=", $"--home={home}"]
        : ["serve", "--no-browser", "--no-restart", "--logflags=0", $"--home={home}"];

    public static IReadOnlyList<string> DeviceId(string? version, string home) => IsV2(version)
        ? ["device-id", $"--home={home}"]
        : ["serve", $"--home={home}", "--device-id"];

    public static IReadOnlyList<string> Generate(string? version, string home) => IsV2(version)
        ? ["generate", $"--home={home}", "--no-port-probing"]
        : ["generate", $"--home={home}", "--skip-port-probing"];
}
