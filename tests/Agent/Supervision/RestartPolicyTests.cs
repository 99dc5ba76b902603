using Xunit;
using Thopter.Agent.Supervision;

namespace Thopter.Tests.Agent.Supervision;

public sealed class RestartPolicyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    private static RestartPolicy Policy() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));

    [Fact]
    public void Clean_exit_means_stay_down()
    {
        var decision = Policy().OnExit(0, Short);

        Assert.False(decision.Restart);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Restart_and_upgrade_codes_restart_at_once_and_are_not_crashes(int exitCode)
    {
        var policy = Policy();
        policy.OnExit(1, Short);

        var decision = policy.OnExit(exitCode, Short);

        Assert.True(decision.Restart);
        Assert.Equal(TimeSpan.Zero, decision.Delay);
        Assert.Equal(1, policy.ConsecutiveCrashes);
    }

    [Fact]
    public void Crashes_back_off_exponentially_up_to_the_cap()
    {
        var policy = Policy();

        var delays = Enumerable.Range(0, 8).Select(_ => policy.OnExit(137, Short).Delay.TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void A_stable_run_forgives_earlier_crashes()
    {
        var policy = Policy();
        policy.OnExit(1, Short);
        policy.OnExit(1, Short);
        policy.OnExit(1, Short);

        var afterStableRun = policy.OnExit(1, TimeSpan.FromSeconds(61));

        Assert.Equal(TimeSpan.FromSeconds(1), afterStableRun.Delay);
        Assert.Equal(1, policy.ConsecutiveCrashes);
    }

    [Fact]
    public void Thousands_of_crashes_do_not_overflow_the_delay()
    {
        var policy = Policy();
        RestartDecision last = default;
        for (var i = 0; i < 5000; i++)
        {
            last = policy.OnExit(2, Short);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), last.Delay);
    }
}
