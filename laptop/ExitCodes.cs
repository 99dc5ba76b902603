namespace Thopter.Laptop;

/// <summary>
/// The exit-code contract of `thopter` (documented in README): one code per failure kind, so
/// scripts can tell "fix your input" from "start SyncThing" from "the devbox is down".
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A bug in thopter: an error it did not expect. The message asks for a report.</summary>
    public const int InternalError = 1;

    /// <summary>Bad command line or input value (unknown option, invalid folder name, malformed device ID).</summary>
    public const int BadInput = 2;

    /// <summary>~/.thopter.json (or a file it points to) is unreadable, not JSON, or has wrong types.</summary>
    public const int ConfigCorrupt = 3;

    /// <summary>Nothing answers at the laptop SyncThing's REST address, or its config.xml cannot be found.</summary>
    public const int SyncthingUnreachable = 4;

    /// <summary>SyncThing refused the API key.</summary>
    public const int SyncthingUnauthorized = 5;

    /// <summary>SyncThing answered with an error or something unexpected.</summary>
    public const int SyncthingError = 6;

    /// <summary>The devbox could not be reached through its transport (ssh, docker exec, ...).</summary>
    public const int DevboxUnreachable = 7;

    /// <summary>thopter-agent on the devbox reported an error.</summary>
    public const int AgentError = 8;

    /// <summary>Something did not happen in time (connection, sync, a SyncThing call).</summary>
    public const int Timeout = 9;

    /// <summary>`thopter sync init` has not been run (no syncthing settings in ~/.thopter.json).</summary>
    public const int NotInitialized = 10;

    /// <summary>A named thing does not exist (unknown devbox name).</summary>
    public const int NotFound = 11;

    /// <summary>A local file or directory could not be created or written.</summary>
    public const int FileSystem = 12;

    /// <summary>The devbox answers, but thopter-agent is not installed there (not on the transport user's PATH).</summary>
    public const int AgentMissing = 13;

    /// <summary>`thopter sync doctor` found at least one failing check.</summary>
    public const int ChecksFailed = 14;

    /// <summary>
    /// The change would take over something thopter did not create (a SyncThing device or folder of the same name or
    /// ID), or make one device ID stand for two devboxes or for the laptop itself.
    /// </summary>
    public const int OwnershipConflict = 15;

    /// <summary>The daemon (`thopter sync daemon`) could not be started or reached, or is newer than this thopter.</summary>
    public const int DaemonUnavailable = 16;

    /// <summary>`thopter sync daemon run` found another daemon already running for this user.</summary>
    public const int DaemonRunning = 17;

    /// <summary>The devbox has no thopter-agent and is a machine (uname -m) this thopter has no agent binary for.</summary>
    public const int AgentUnsupportedMachine = 23;

    /// <summary>Sending thopter-agent to the devbox failed or was refused (changed in transit, no way to check it, it does not run there); nothing was installed.</summary>
    public const int AgentDeliveryFailed = 24;

    /// <summary>The devbox has no thopter-agent and this thopter has no agent binary to send (not installed with scripts/install.sh, no THOPTER_AGENT_BINARY).</summary>
    public const int AgentBinaryMissing = 25;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>Stable names for --json error output.</summary>
    public static string NameOf(int code) => code switch
    {
        Ok => "ok",
        BadInput => "bad-input",
        ConfigCorrupt => "config-corrupt",
        SyncthingUnreachable => "syncthing-unreachable",
        SyncthingUnauthorized => "syncthing-unauthorized",
        SyncthingError => "syncthing-error",
        DevboxUnreachable => "devbox-unreachable",
        AgentError => "agent-error",
        Timeout => "timeout",
        NotInitialized => "not-initialized",
        NotFound => "not-found",
        FileSystem => "file-system",
        AgentMissing => "agent-missing",
        ChecksFailed => "checks-failed",
        OwnershipConflict => "ownership-conflict",
        DaemonUnavailable => "daemon-unavailable",
        DaemonRunning => "daemon-running",
        AgentUnsupportedMachine => "agent-unsupported-machine",
        AgentDeliveryFailed => "agent-delivery-failed",
        AgentBinaryMissing => "agent-binary-missing",
        Cancelled => "cancelled",
        _ => "internal-error",
    };
}
