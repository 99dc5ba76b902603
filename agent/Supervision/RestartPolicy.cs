namespace Thopter.Agent.Supervision;

public readonly record struct RestartDecision(bool Restart, TimeSpan Delay, string Reason);

/// <summary>
/// When to bring SyncThing back, matching its systemd unit: exit 0 is a requested shutdown (stay
/// down), 3 and 4 are SyncThing asking for a restart/upgrade (restart at once), anything else is a
/// crash (restart after an exponential backoff, capped; a run that lasted the stable period
/// forgives earlier crashes).
/// </summary>
public sealed class RestartPolicy(TimeSpan initialDelay, TimeSpan maxDelay, TimeSpan stablePeriod)
{
    public const int RestartExitCode = 3;
    public const int UpgradeExitCode = 4;

    private int consecutiveCrashes;

    public static RestartPolicy Default() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60));

    public int ConsecutiveCrashes => consecutiveCrashes;

    public RestartDecision OnExit(int exitCode, TimeSpan uptime)
    {
        if (uptime >= stablePeriod)
        {
            consecutiveCrashes = 0;
        }

        switch (exitCode)
        {
            case 0:
                return new RestartDecision(false, TimeSpan.Zero, "exited cleanly (0): shutdown was requested");
            case RestartExitCode or UpgradeExitCode:
                return new RestartDecision(true, TimeSpan.Zero, $"asked to be restarted (exit {exitCode})");
            default:
                consecutiveCrashes++;
                var delay = Backoff(consecutiveCrashes);
                return new RestartDecision(true, delay, $"crashed (exit {exitCode}), crash #{consecutiveCrashes} in a row");
        }
    }

    private TimeSpan Backoff(int crashes)
    {
        // Doubling past ~30 steps would overflow long before the cap matters.
        var factor = Math.Pow(2, Math.Min(crashes - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(initialDelay.Ticks * factor, maxDelay.Ticks));
        return delay;
    }
}
