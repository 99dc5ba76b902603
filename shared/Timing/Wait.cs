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

        // The condition sees the deadline too, so one hung probe (an HTTP call that never answers)
        // cannot stretch the wait past its timeout.
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Exception? lastError = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await condition(linked.Token).ConfigureAwait(false))
                {
                    return;
                }

                lastError = null;
            }
            catch (Exception error) when (error is not WaitAbortedException && (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                lastError = error is OperationCanceledException && deadline.IsCancellationRequested ? lastError : error;
            }

            var remaining = timeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero || deadline.IsCancellationRequested)
            {
                throw new WaitTimeoutException(what, timeout, lastError, await DescribeAsync(describeFailure).ConfigureAwait(false));
            }

            try
            {
                await Task.Delay(interval < remaining ? interval : remaining, time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline fell inside the pause: loop once more so the condition gets a last look.
            }
        }
    }

    private static async Task<string> DescribeAsync(Func<Task<string>>? describeFailure)
    {
        if (describeFailure is null)
        {
            return string.Empty;
        }

        try
        {
            return await describeFailure().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // A failing diagnostic must not hide the timeout it was meant to explain.
            return $"(could not describe the failure: {error.Message})";
        }
    }
}

public sealed class WaitTimeoutException(string what, TimeSpan timeout, Exception? lastError, string detail)
    : TimeoutException(Describe(what, timeout, lastError, detail), lastError)
{
    public string What { get; } = what;

    public string Detail { get; } = detail;

    private static string Describe(string what, TimeSpan timeout, Exception? lastError, string detail)
    {
        var message = $"timed out after {timeout.TotalSeconds:0.###} s waiting for {what}";
        if (lastError is not null)
        {
            message += $" (last error: {lastError.Message})";
        }

        return string.IsNullOrWhiteSpace(detail) ? message : $"{message}\n{detail.TrimEnd()}";
    }
}

/// <summary>
/// Thrown by a wait's condition when it can never hold (the process it waits on has exited), so
/// the wait ends at once with this reason instead of running out its timeout.
/// </summary>
public sealed class WaitAbortedException(string message) : Exception(message);
