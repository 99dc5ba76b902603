using Thopter.Laptop.Errors;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Timing;

namespace Thopter.Laptop.Cli;

/// <summary>A failure as the user sees it: exit code, one-line reason, fix.</summary>
public sealed record CliError(int ExitCode, string Reason, string Fix);

/// <summary>The one place exceptions become exit codes (laptop/ExitCodes.cs, documented in laptop/README.md).</summary>
public static class ErrorMapper
{
    public static CliError Map(Exception error, CancellationToken cancellationToken) => error switch
    {
        ThopterException known => new CliError(ExitCodeOf(known.Kind), known.Message, known.Fix),
        SyncthingApiException api => new CliError(ExitCodeOf(api.Kind), api.Message, api.Fix),
        ThopterConfigException config => new CliError(ExitCodes.ConfigCorrupt, config.Message, config.Fix),
        WaitTimeoutException timeout => new CliError(ExitCodes.Timeout, timeout.Message, "check the state described above and retry; a slow network may need more time"),
        UnauthorizedAccessException or IOException => Map(FileSystemFailure.From(error), cancellationToken),
        OperationCanceledException when cancellationToken.IsCancellationRequested =>
            new CliError(ExitCodes.Cancelled, "interrupted", "run the command again; it is safe to repeat"),
        _ => new CliError(ExitCodes.InternalError, $"unexpected {error.GetType().Name}: {error.Message}", "this is a bug in thopter: run again with --verbose and report the output"),
    };

    public static int ExitCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.BadInput => ExitCodes.BadInput,
        ErrorKind.ConfigCorrupt => ExitCodes.ConfigCorrupt,
        ErrorKind.SyncthingUnreachable => ExitCodes.SyncthingUnreachable,
        ErrorKind.SyncthingUnauthorized => ExitCodes.SyncthingUnauthorized,
        ErrorKind.SyncthingError => ExitCodes.SyncthingError,
        ErrorKind.DevboxUnreachable => ExitCodes.DevboxUnreachable,
        ErrorKind.AgentError => ExitCodes.AgentError,
        ErrorKind.Timeout => ExitCodes.Timeout,
        ErrorKind.NotInitialized => ExitCodes.NotInitialized,
        ErrorKind.NotFound => ExitCodes.NotFound,
        ErrorKind.FileSystem => ExitCodes.FileSystem,
        ErrorKind.AgentMissing => ExitCodes.AgentMissing,
        ErrorKind.OwnershipConflict => ExitCodes.OwnershipConflict,
        ErrorKind.DaemonUnavailable => ExitCodes.DaemonUnavailable,
        ErrorKind.DaemonRunning => ExitCodes.DaemonRunning,
        ErrorKind.InsecureFile => ExitCodes.InsecureFile,
        ErrorKind.AgentUnsupportedMachine => ExitCodes.AgentUnsupportedMachine,
        ErrorKind.AgentDeliveryFailed => ExitCodes.AgentDeliveryFailed,
        ErrorKind.AgentBinaryMissing => ExitCodes.AgentBinaryMissing,
        ErrorKind.Cancelled => ExitCodes.Cancelled,
        _ => ExitCodes.InternalError,
    };

    private static int ExitCodeOf(SyncthingApiErrorKind kind) => kind switch
    {
        SyncthingApiErrorKind.Unreachable => ExitCodes.SyncthingUnreachable,
        SyncthingApiErrorKind.Unauthorized => ExitCodes.SyncthingUnauthorized,
        SyncthingApiErrorKind.Timeout => ExitCodes.Timeout,
        _ => ExitCodes.SyncthingError,
    };
}
