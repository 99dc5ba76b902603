using System.Globalization;

namespace Thopter.Bench.Rig;

/// <summary>
/// Wall-clock instants in milliseconds since the Unix epoch. Containers share the host's kernel and so its
/// CLOCK_REALTIME: a write stamped inside a container ($EPOCHREALTIME, a bash builtin, no fork) and an arrival seen on
/// the host are on one clock, and docker exec's start-up time never enters a measurement.
/// </summary>
public static class RealTime
{
    public static double NowMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>Parses bash's $EPOCHREALTIME ("1763771234.123456").</summary>
    public static double ParseEpochRealtime(string text) =>
        double.Parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture) * 1000;

    /// <summary>
    /// Spins on the file system until <paramref name="condition"/> holds, sleeping <paramref name="pollMs"/> (~1 ms) between looks, and returns
    /// the instant it was first seen. Runs on its own thread so the thread pool's scheduling adds no delay.
    /// </summary>
    public static Task<double> WhenAsync(Func<bool> condition, TimeSpan timeout, string what, int pollMs = 1) =>
        Task.Factory.StartNew(
            () =>
            {
                var deadline = DateTime.UtcNow + timeout;
                while (!condition())
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s");
                    }

                    Thread.Sleep(pollMs);
                }

                return NowMs();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
}
