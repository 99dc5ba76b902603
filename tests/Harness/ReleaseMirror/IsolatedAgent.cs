using Thopter.Tests.Harness.Docker;

namespace Thopter.Tests.Harness.ReleaseMirror;

/// <summary>
/// How every test and benchmark runs thopter-agent in a devbox: SyncThing on its own free 127.0.0.1 ports with
/// discovery, relays and NAT off (--isolated), installed from the local release mirror and verified with the
/// mirror's test key, which <see cref="InstallMirrorKeyAsync"/> puts where these arguments point.
/// </summary>
public static class IsolatedAgent
{
    public const string MirrorKeyPath = "/home/dev/mirror-key.pem";

    public static Task InstallMirrorKeyAsync(Devbox devbox, LocalReleaseMirror mirror, CancellationToken cancellationToken = default) =>
        devbox.WriteFileAsync(MirrorKeyPath, mirror.PublicKeyPem, owner: "dev", mode: "0644", cancellationToken: cancellationToken);

    /// <summary>
    /// `install`'s arguments for the mirror, with the release to fetch named: the agent's own default (upstream's current
    /// 2.x) is not one the mirror can serve.
    /// </summary>
    public static IReadOnlyList<string> MirrorArguments(LocalReleaseMirror mirror, string syncthingVersion = "v1.19.2") =>
        ["--mirror", mirror.BaseUri.AbsoluteUri, "--signing-key", MirrorKeyPath, "--syncthing-version", syncthingVersion];

    /// <summary>`setup`'s arguments besides the laptop's ID and the folder; the release is named once (the agent refuses it twice).</summary>
    public static IReadOnlyList<string> SetupArguments(int listenPort, int guiPort, string laptopAddress, LocalReleaseMirror mirror, string syncthingVersion = "v1.19.2") =>
    [
        "--isolated", "--listen", $"tcp://127.0.0.1:{listenPort}", "--gui-address", $"127.0.0.1:{guiPort}",
        "--laptop-address", laptopAddress, .. MirrorArguments(mirror, syncthingVersion),
    ];
}
