using System.Net;

namespace Thopter.Agent.Install;

/// <summary>Why one download attempt failed, and whether another attempt could help.</summary>
internal enum DownloadFailureKind
{
    Unreachable,
    NotFound,
    HttpError,
    Truncated,
    Stalled,
    TooLarge,
}

internal sealed class DownloadFailure(DownloadFailureKind kind, string message, HttpStatusCode? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public DownloadFailureKind Kind { get; } = kind;

    public HttpStatusCode? Status { get; } = status;

    public bool Retryable => Kind switch
    {
        DownloadFailureKind.NotFound or DownloadFailureKind.TooLarge => false,
        DownloadFailureKind.HttpError => Status is null || (int)Status >= 500 || Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => true,
    };

    /// <summary>The exit code once no attempt is left.</summary>
    public AgentException ToAgentException(Uri uri, int attempts)
    {
        var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
        return Kind switch
        {
            DownloadFailureKind.Unreachable => new AgentException(
                ExitCodes.MirrorUnreachable, $"could not reach {uri.GetLeftPart(UriPartial.Authority)} after {tries}: {Message}",
                "check the network and --mirror, then run the command again", this),
            DownloadFailureKind.NotFound => new AgentException(
                ExitCodes.ReleaseNotFound, $"{uri} answered 404 Not Found",
                "check --syncthing-version (it must exist on the mirror) and --mirror", this),
            DownloadFailureKind.Truncated or DownloadFailureKind.Stalled => new AgentException(
                ExitCodes.DownloadIncomplete, $"{uri} did not download completely in {tries}: {Message}",
                "run the command again later, or point --mirror at a closer mirror", this),
            _ => new AgentException(
                ExitCodes.MirrorError, $"{uri} failed after {tries}: {Message}",
                "run the command again later, or point --mirror at another mirror", this),
        };
    }
}
