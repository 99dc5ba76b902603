namespace Thopter.Agent.Install;

/// <summary>How hard a download tries. Tests shrink the times to milliseconds.</summary>
public sealed record DownloadOptions
{
    public static DownloadOptions Default { get; } = new();

    public int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the second attempt; it doubles after each further failure, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>No response headers, or no body bytes, for this long: the attempt is abandoned as stalled.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public long MaxArchiveBytes { get; init; } = 256L << 20;

    public long MaxChecksumListBytes { get; init; } = 1L << 20;

    public TimeSpan BackoffBefore(int attempt)
    {
        var factor = Math.Pow(2, Math.Max(0, attempt - 2));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay;
    }
}
