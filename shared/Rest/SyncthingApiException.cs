namespace Thopter.Shared.Rest;

/// <summary>What went wrong talking to SyncThing; each kind has its own exit code in the binaries.</summary>
public enum SyncthingApiErrorKind
{
    /// <summary>Nothing answered at the address (not running, wrong port).</summary>
    Unreachable,

    /// <summary>SyncThing answered but refused the API key.</summary>
    Unauthorized,

    /// <summary>The folder or device asked for does not exist.</summary>
    NotFound,

    /// <summary>No answer within the allowed time.</summary>
    Timeout,

    /// <summary>An answer that is not what the API documents (not JSON, wrong shape).</summary>
    BadResponse,

    /// <summary>SyncThing reported an error of its own (4xx/5xx other than the above).</summary>
    Server,

    /// <summary>SyncThing 2.x is migrating its database (once, on its first start over a 1.x home): every request gets plain text.</summary>
    Migrating,
}

/// <summary>
/// The one error the REST client throws. <see cref="Exception.Message"/> is the reason,
/// <see cref="Fix"/> what the user can do about it; neither ever contains the API key.
/// </summary>
public sealed class SyncthingApiException : Exception
{
    public SyncthingApiException(SyncthingApiErrorKind kind, string message, string fix, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Fix = fix;
        StatusCode = statusCode;
    }

    public SyncthingApiErrorKind Kind { get; }

    public string Fix { get; }

    public int? StatusCode { get; }

    // The inner exception's text is deliberately left out: an HttpRequestException's message can
    // echo request details, and ToString ends up in logs.
    public override string ToString() => $"{nameof(SyncthingApiException)} ({Kind}): {Message} (fix: {Fix})";
}
