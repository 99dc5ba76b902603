using System.Diagnostics;
using System.Globalization;
using System.Text;
using Thopter.Bench.Rig;

namespace Thopter.Bench.Report;

/// <summary>P1 medians and p95s per tuning and direction as a PNG, drawn by gnuplot (log scale: 8 ms and 10 s on one chart).</summary>
public static class Chart
{
    public static async Task<string?> DrawAsync(BenchResults r, string pngPath, Action<string> log)
    {
        var data = new StringBuilder();
        foreach (var tuning in SyncTuning.All.Where(t => r.WriteLatency.ContainsKey(t.Key)))
        {
            var (toLaptop, toDevbox) = r.WriteLatency[tuning.Key];
            data.AppendLine(CultureInfo.InvariantCulture, $"\"({tuning.Key})\" {Math.Max(toLaptop.Median, 1):0.0} {Math.Max(toLaptop.P95, 1):0.0} {Math.Max(toDevbox.Median, 1):0.0} {Math.Max(toDevbox.P95, 1):0.0}");
        }

        var dir = Directory.CreateTempSubdirectory("thopter-bench-chart-").FullName;
        try
        {
            var dataPath = Path.Combine(dir, "p1.dat");
            await File.WriteAllTextAsync(dataPath, data.ToString());
            var script = $"""
                set terminal pngcairo size 900,500 noenhanced font ",10"
                set output "{pngPath}"
                set title "P1: 1 KB write -> visible on the peer (log scale)"
                set ylabel "milliseconds"
                set logscale y
                set yrange [1:*]
                set grid ytics
                set style data histogram
                set style histogram clustered gap 1
                set style fill solid 0.8 border -1
                set key top right
                set arrow from graph 0, first 50 to graph 1, first 50 nohead dt 2 lc rgb "red"
                set label "target median 50 ms" at graph 0.80, first 60 tc rgb "red" front
                plot "{dataPath}" using 2:xtic(1) title "devbox->laptop median", '' using 3 title "devbox->laptop p95", '' using 4 title "laptop->devbox median", '' using 5 title "laptop->devbox p95"
                """;
            var scriptPath = Path.Combine(dir, "p1.gp");
            await File.WriteAllTextAsync(scriptPath, script);
            using var gnuplot = Process.Start(new ProcessStartInfo("gnuplot", [scriptPath]) { RedirectStandardError = true })!;
            var errors = await gnuplot.StandardError.ReadToEndAsync();
            await gnuplot.WaitForExitAsync();
            if (gnuplot.ExitCode != 0)
            {
                log($"gnuplot failed ({gnuplot.ExitCode}): {errors.Trim()}");
                return null;
            }

            return pngPath;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            log("gnuplot is not installed (apt-get install -y gnuplot-nox); no chart drawn");
            return null;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
