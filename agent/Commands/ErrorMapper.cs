using System.Net.Sockets;
using Thopter.Shared.Identity;

namespace Thopter.Agent.Commands;

/// <summary>A failure as the user sees it.</summary>
public sealed record AgentError(ExitCode Code, string Message, string Fix);

/// <summary>The one place exceptions become exit codes.</summary>
public static class ErrorMapper
{
    private const int EnospcErrno = 28;

    public static AgentError Map(Exception error) => error switch
    {
        AgentException known => new AgentError(known.Code, known.Message, known.Fix),
        IdentityMissingException missing => new AgentError(
            ExitCodes.IdentityMissing,
            $"no SyncThing identity: {missing.Path} is missing",
            "run thopter-agent setup first, or pass --home with the SyncThing home that holds cert.pem and key.pem"),
        IdentityCorruptException corrupt => new AgentError(
            ExitCodes.IdentityInvalid,
            $"{corrupt.Path} cannot be used: {corrupt.Reason}",
            "restore cert.pem and key.pem from a backup; only if there is none, remove both and run setup (peers must then pair again)"),
        OperationCanceledException => new AgentError(ExitCodes.Interrupted, "interrupted", "run the command again"),
        IOException io when IsDiskFull(io) => new AgentError(
            ExitCodes.DiskFull, $"no space left on the device: {io.Message}", "free disk space (df -h ~) and run the command again"),
        UnauthorizedAccessException denied => new AgentError(
            ExitCodes.PermissionDenied, denied.Message, "check ownership and modes of the path (the agent runs without sudo)"),
        IOException io => new AgentError(
            ExitCodes.PermissionDenied, $"a file operation failed: {io.Message}", "check that the path exists, is a normal directory you own and is writable (not /proc, not read-only)"),
        _ => new AgentError(
            ExitCodes.Internal, $"{error.GetType().Name}: {error.Message}", "run again with --verbose and report the output as a bug"),
    };

    /// <summary>ENOSPC (or EDQUOT, a full quota) anywhere in the chain: .NET puts the errno in HResult on Unix.</summary>
    public static bool IsDiskFull(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is IOException { HResult: EnospcErrno or 122 } || current is SocketException { SocketErrorCode: SocketError.NoBufferSpaceAvailable })
            {
                return true;
            }
        }

        return false;
    }
}
