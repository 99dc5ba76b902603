namespace Thopter.Shared.Timing;

/// <summary>
/// The one readiness primitive: poll a condition at an interval until it holds or time runs out.
/// The timeout error says what was awaited and, through <paramref name="describeFailure"/>, why it
/// may not have happened (last error, a log tail), so a stalled wait is never a mystery.
/// </summary>
public static class Wait
{
    public static async Task UntilAsync(
        string what,
        Func<CancellationToken, Task<bool>> condition,
        TimeSpan interval,
        TimeSpan timeout,
        Func<Task<string>>? describeFailure = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var started = time.GetTimestamp();
        Exception? lastError = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await condition(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                lastError = null;
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                lastError = error;
            }

            if (time.GetElapsedTime(started) >= timeout)
            {
                var detail = describeFailure is null ? string.Empty : await describeFailure().ConfigureAwait(false);
                throw new WaitTimeoutException(what, timeout, lastError, detail);
            }

            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}

public sealed class WaitTimeoutException(string what, TimeSpan timeout, Exception? lastError, string detail)
    : TimeoutException(Describe(what, timeout, lastError, detail), lastError)
{
    public string What { get; } = what;

    private static string Describe(string what, TimeSpan timeout, Exception? lastError, string detail)
    {
        var message = $"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}";
        if (lastError is not null)
        {
            message += $" (last error: {lastError.Message})";
        }

        return string.IsNullOrWhiteSpace(detail) ? message : $"{message}\n{detail.TrimEnd()}";
    }
}
