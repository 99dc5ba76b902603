namespace Thopter.Shared.Streams;

/// <summary>How a splice ended: bytes carried each way, and the failure that ended it early (null for a clean close both ways).</summary>
public sealed record SpliceOutcome(long FirstToSecond, long SecondToFirst, string? Failure);

/// <summary>
/// Copies bytes both ways between two <see cref="StreamEnd"/>s until both have closed. An end-of-stream on one side is
/// passed on as a half-close of the other (so TLS close_notify and FIN travel end to end) while the other direction
/// keeps flowing; a read or write failure (a reset, a killed process) ends the splice at once, and the caller disposes
/// both ends (a read blocked on a pipe only ends that way). Each direction holds one buffer and waits for its write
/// before reading again: a slow reader slows its writer (backpressure). Every write is flushed, because a sync
/// protocol's small messages must not sit in a buffer. Cancellation ends it like a failure ("cancelled"), with the
/// bytes carried so far.
/// </summary>
public static class StreamSplice
{
    public const int BufferSize = 64 * 1024;

    public static async Task<SpliceOutcome> RunAsync(StreamEnd first, StreamEnd second, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forward = new Direction(first, second);
        var backward = new Direction(second, first);
        var pumps = new[] { forward.PumpAsync(stop.Token), backward.PumpAsync(stop.Token) };
        var done = await Task.WhenAny(pumps).ConfigureAwait(false);
        var failure = await done.ConfigureAwait(false);
        if (failure is null)
        {
            failure = await pumps.Single(p => p != done).ConfigureAwait(false);
        }
        else
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        return new SpliceOutcome(forward.Bytes, backward.Bytes, failure);
    }

    private sealed class Direction(StreamEnd from, StreamEnd to)
    {
        private long bytes;

        public long Bytes => Interlocked.Read(ref bytes);

        /// <summary>Null when <c>from</c> ended cleanly (and <c>to</c> was half-closed), else what broke.</summary>
        public async Task<string?> PumpAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[BufferSize];
            try
            {
                int read;
                while ((read = await from.Input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await to.Output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    await to.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    Interlocked.Add(ref bytes, read);
                }

                to.CloseOutput();
                return null;
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                return $"{from.Name} -> {to.Name}: {error.Message}";
            }
        }
    }
}
