using System.Globalization;

namespace Thopter.Bench.Rig;

/// <summary>What one process in a devbox spends: inotify watches, CPU time so far, resident memory (all from its /proc).</summary>
public sealed record DevboxProcessStats(int Pid, int Watches, double CpuMs, double RssMb)
{
    // One line per process: pid, watches (inotify wd lines over its fdinfo), utime+stime in clock ticks, VmRSS in kB.
    private const string Script = """
        for pid in $(pgrep -u dev -f "$1"); do
          w=$(cat /proc/$pid/fdinfo/* 2>/dev/null | grep -c '^inotify wd')
          t=$(awk '{print $14 + $15}' /proc/$pid/stat 2>/dev/null) || continue
          r=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null)
          echo "$pid $w $t ${r:-0}"
        done
        """;

    /// <summary>
    /// The processes of user dev whose command line matches <paramref name="pattern"/> (pgrep -f), summed. Write the
    /// pattern as "[t]hopter-agent accelerate": the bracket keeps it from matching this script's own command line.
    /// </summary>
    public static async Task<DevboxProcessStats> ReadAsync(DevboxNode devbox, string pattern, CancellationToken ct)
    {
        var result = (await devbox.Devbox.ExecAsync("dev", ["bash", "-c", Script, "bash", pattern], null, ct)).EnsureSuccess();
        var ticksPerSecond = 100.0;
        var rows = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ').Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray())
            .ToList();
        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"no process of dev matches '{pattern}' on {devbox.Name}");
        }

        return new DevboxProcessStats(
            (int)rows[0][0],
            (int)rows.Sum(r => r[1]),
            rows.Sum(r => r[2]) * 1000 / ticksPerSecond,
            rows.Sum(r => r[3]) / 1024);
    }
}
