using System.Diagnostics;
using Thopter.Shared.Processes;
using Xunit;

namespace Thopter.Tests.EndToEnd;

/// <summary>What one tunnel costs to open through a transport: `PREFIX thopter-agent tunnel` with stdin closed (start, connect to the devbox's SyncThing, clean close), as the daemon's probe runs it.</summary>
internal static class TunnelOpenCost
{
    public static async Task<double> MedianMsAsync(IReadOnlyList<string> prefix, int runs = 7)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = await new ProcessRunner().RunAsync(new ProcessSpec(prefix[0], [.. prefix.Skip(1), "thopter-agent", "tunnel"]) { StandardInput = string.Empty, Timeout = TimeSpan.FromSeconds(60) });
            times.Add(clock.Elapsed.TotalMilliseconds);
            // As the daemon's probe reads it: 0 (clean close) or 54 (SyncThing reset the connection it never got a hello on) both mean it answered.
            Assert.True(result.ExitCode is 0 or 54, $"{string.Join(' ', prefix)} thopter-agent tunnel: exit {result.ExitCode} {result.StandardError}");
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
