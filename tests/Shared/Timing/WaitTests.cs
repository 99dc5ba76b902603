using Xunit;
using Thopter.Shared.Timing;

namespace Thopter.Tests.Shared.Timing;

public sealed class WaitTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task Returns_as_soon_as_the_condition_holds()
    {
        var calls = 0;

        await Wait.UntilAsync("third call", _ => Task.FromResult(++calls == 3), Tick, TimeSpan.FromSeconds(10));

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Timeout_names_what_it_waited_for_and_includes_the_detail()
    {
        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "the folder to be idle",
            _ => Task.FromResult(false),
            Tick,
            TimeSpan.FromMilliseconds(50),
            () => Task.FromResult("state was scanning")));

        Assert.Equal("the folder to be idle", error.What);
        Assert.Contains("waiting for the folder to be idle", error.Message, StringComparison.Ordinal);
        Assert.Contains("state was scanning", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TimeoutException>(error);
    }

    [Fact]
    public async Task A_condition_that_can_never_hold_ends_the_wait_at_once()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<WaitAbortedException>(() => Wait.UntilAsync(
            "the devbox to boot",
            _ => throw new WaitAbortedException("the devbox exited"),
            Tick,
            TimeSpan.FromSeconds(30)));

        Assert.Equal("the devbox exited", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Timeout_carries_the_last_error_of_the_condition()
    {
        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "ping",
            _ => throw new InvalidOperationException("connection refused"),
            Tick,
            TimeSpan.FromMilliseconds(30)));

        Assert.Contains("last error: connection refused", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public async Task An_error_followed_by_a_plain_false_is_not_reported_as_last_error()
    {
        var calls = 0;
        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "x",
            _ => ++calls == 1 ? throw new InvalidOperationException("early") : Task.FromResult(false),
            Tick,
            TimeSpan.FromMilliseconds(40)));

        Assert.DoesNotContain("early", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_condition_cannot_stretch_the_wait_past_its_timeout()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "a probe that never answers",
            async ct =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return true;
            },
            Tick,
            TimeSpan.FromMilliseconds(100)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_failing_description_does_not_hide_the_timeout()
    {
        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "x", _ => Task.FromResult(false), Tick, TimeSpan.FromMilliseconds(20),
            () => throw new IOException("log gone")));

        Assert.Contains("log gone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_is_cancellation_not_a_timeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.UntilAsync(
            "x", _ => Task.FromResult(false), Tick, TimeSpan.FromMinutes(5), cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Message_shows_millisecond_timeouts_readably()
    {
        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Wait.UntilAsync(
            "x", _ => Task.FromResult(false), Tick, TimeSpan.FromMilliseconds(20)));

        Assert.StartsWith("timed out after 0.02 s waiting for x", error.Message, StringComparison.Ordinal);
    }
}
