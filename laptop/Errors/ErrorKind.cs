namespace Thopter.Laptop.Errors;

/// <summary>
/// What went wrong, as domain code knows it. Only the CLI layer (Cli/ErrorMapper) turns a kind into an exit code;
/// each kind has one there (laptop/README.md documents them).
/// </summary>
public enum ErrorKind
{
    BadInput,
    ConfigCorrupt,
    SyncthingUnreachable,
    SyncthingUnauthorized,
    SyncthingError,
    DevboxUnreachable,
    AgentError,
    Timeout,
    NotInitialized,
    NotFound,
    FileSystem,
    AgentMissing,
    OwnershipConflict,
    DaemonUnavailable,
    DaemonRunning,
    InsecureFile,
    AgentUnsupportedMachine,
    AgentDeliveryFailed,
    AgentBinaryMissing,
    Cancelled,
}
