namespace Thopter.Agent;

/// <summary>One failure kind: the number the shell sees and the kebab-case name the JSON error carries.</summary>
public sealed record ExitCode(int Value, string Name, string Meaning);

/// <summary>
/// Every exit code thopter-agent can return, in one table (docs/agent-exit-codes.md mirrors it).
/// Ranges: 0-9 general, 10-19 identity, 20-39 install, 40-59 setup/service (the systemd commands), 60-62 pack, 130 interrupted.
/// Numbers are a contract with the laptop and with scripts: never renumber, only add.
/// </summary>
public static class ExitCodes
{
    public static readonly ExitCode Ok = new(0, "ok", "success");
    public static readonly ExitCode Internal = new(1, "internal-error", "a bug: an unexpected exception");
    public static readonly ExitCode Usage = new(2, "usage", "unknown command, option or malformed argument");
    public static readonly ExitCode PermissionDenied = new(3, "permission-denied", "a file or directory could not be read or written");

    public static readonly ExitCode IdentityMissing = new(10, "identity-missing", "no SyncThing identity (cert.pem/key.pem) in the home");
    public static readonly ExitCode IdentityInvalid = new(11, "identity-invalid", "the identity exists but cannot be read");

    public static readonly ExitCode UnsupportedArchitecture = new(20, "unsupported-architecture", "no SyncThing build for this CPU");
    public static readonly ExitCode MirrorUnreachable = new(21, "mirror-unreachable", "the release mirror could not be reached (DNS, connect, TLS)");
    public static readonly ExitCode ReleaseNotFound = new(22, "release-not-found", "the mirror answered 404 for the archive or checksum list");
    public static readonly ExitCode MirrorError = new(23, "mirror-error", "the mirror kept answering an HTTP error (5xx or other)");
    public static readonly ExitCode DownloadIncomplete = new(24, "download-incomplete", "every attempt was truncated or stalled");
    public static readonly ExitCode ChecksumNotListed = new(25, "checksum-not-listed", "the checksum list has no line for the archive");
    public static readonly ExitCode ChecksumMismatch = new(26, "checksum-mismatch", "the archive's SHA-256 differs from the checksum list");
    public static readonly ExitCode SignatureMissing = new(27, "signature-missing", "the archive holds no release.sig");
    public static readonly ExitCode SignatureInvalid = new(28, "signature-invalid", "release.sig does not verify against the signing key");
    public static readonly ExitCode SigningKeyInvalid = new(29, "signing-key-invalid", "--signing-key is not an ECDSA P-521 public key in PEM");
    public static readonly ExitCode ArchiveInvalid = new(30, "archive-invalid", "the archive is corrupt, unsafe (path traversal) or holds no syncthing binary");
    public static readonly ExitCode BinaryBroken = new(31, "binary-broken", "the unpacked binary does not answer --version with the expected version");
    public static readonly ExitCode DiskFull = new(32, "disk-full", "no space left on the device while writing");

    public static readonly ExitCode InvalidDeviceId = new(40, "invalid-device-id", "--laptop-device-id is not a valid SyncThing device ID");
    public static readonly ExitCode InvalidFolderName = new(41, "invalid-folder-name", "--folder is not one safe directory name");
    public static readonly ExitCode InvalidAddress = new(42, "invalid-address", "--listen, --gui-address or --laptop-address is malformed (or the GUI is not on loopback)");
    public static readonly ExitCode ServiceFailed = new(43, "service-failed", "SyncThing's service could not be installed, started or stopped");
    public static readonly ExitCode ApiNotReady = new(44, "api-not-ready", "SyncThing started but its REST API did not answer with our device ID in time");
    public static readonly ExitCode DBusError = new(45, "dbus-error", "the systemd user manager answered a D-Bus call with an error");
    public static readonly ExitCode SyncthingNotStartable = new(46, "syncthing-not-startable", "run: the SyncThing binary is missing or cannot be executed");
    public static readonly ExitCode Unhealthy = new(47, "unhealthy", "status: SyncThing is not running, its API does not answer, or the laptop is not connected");
    public static readonly ExitCode LaptopIsSelf = new(48, "laptop-is-self", "--laptop-device-id is this devbox's own device ID");

    public static readonly ExitCode NotSetUp = new(50, "not-set-up", "accelerate: config.xml has no REST address with an API key, or shares no folder with a peer; prepare-snapshot: --home holds no identity or config.xml");

    public static readonly ExitCode TunnelNotSetUp = new(52, "tunnel-not-set-up", "tunnel: config.xml in --home is missing, unreadable or has no TCP listen address");
    public static readonly ExitCode TunnelRefused = new(53, "tunnel-refused", "tunnel: SyncThing's sync listener refused or did not answer the connection");
    public static readonly ExitCode TunnelBroken = new(54, "tunnel-broken", "tunnel: the connection failed mid-stream (reset, or the transport went away)");

    public static readonly ExitCode TunnelNotSyncthing = new(55, "tunnel-not-syncthing", "tunnel: the sync port from config.xml is held by another program, not the SyncThing serving --home; nothing was sent to it");

    public static readonly ExitCode SyncListenFailed = new(58, "sync-listen-failed", "setup: SyncThing could not open its TCP sync listener (another program holds the port, or the address is not this machine's)");

    public static readonly ExitCode SeedFolderMissing = new(60, "seed-folder-missing", "pack: the folder ~/NAME does not exist");
    public static readonly ExitCode SeedBroken = new(61, "seed-broken", "pack: writing the seed stream failed (the laptop closed it, or a file could not be read)");

    public static readonly ExitCode Interrupted = new(130, "interrupted", "cancelled (Ctrl-C / SIGTERM)");

    public static IReadOnlyList<ExitCode> All { get; } =
    [
        Ok, Internal, Usage, PermissionDenied,
        IdentityMissing, IdentityInvalid,
        UnsupportedArchitecture, MirrorUnreachable, ReleaseNotFound, MirrorError, DownloadIncomplete,
        ChecksumNotListed, ChecksumMismatch, SignatureMissing, SignatureInvalid, SigningKeyInvalid,
        ArchiveInvalid, BinaryBroken, DiskFull,
        InvalidDeviceId, InvalidFolderName, InvalidAddress, ServiceFailed, ApiNotReady, DBusError, SyncthingNotStartable, Unhealthy, LaptopIsSelf, NotSetUp,
        TunnelNotSetUp, TunnelRefused, TunnelBroken, TunnelNotSyncthing, SyncListenFailed,
        SeedFolderMissing, SeedBroken,
        Interrupted,
    ];
}
