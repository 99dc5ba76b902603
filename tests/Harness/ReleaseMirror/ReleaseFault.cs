namespace Thopter.Tests.Harness.ReleaseMirror;

/// <summary>What the mirror does wrong, on demand.</summary>
public enum ReleaseFault
{
    None,

    /// <summary>The checksum list names the archive with a sha256 that is not the archive's (set on either path or globally).</summary>
    WrongChecksum,

    /// <summary>The archive's release.sig is made with another key; the checksum list still matches the archive, so only the signature check can catch it.</summary>
    BadSignature,

    /// <summary>Announces the full Content-Length, sends half the body, then drops the connection.</summary>
    Truncated,

    /// <summary>Announces the full Content-Length, sends a little, then sends nothing more until the client gives up or the mirror stops.</summary>
    Stall,

    NotFound,

    ServerError,
}
