using System.Text;
using Thopter.Bench.Rig;

namespace Thopter.Bench.Report;

/// <summary>The markdown table: one row per metric, one column per tuning (a)-(d), the target and whether (d) meets it.</summary>
public static class ResultTable
{
    public static string Render(BenchResults r, BenchOptions options)
    {
        var rows = new List<string[]>();
        foreach (var (direction, pick) in new (string, Func<(Summary ToLaptop, Summary ToDevbox), Summary>)[]
                 { ("devbox -> laptop", p => p.ToLaptop), ("laptop -> devbox", p => p.ToDevbox) })
        {
            var cells = SyncTuning.All.Select(t => r.WriteLatency.TryGetValue(t.Key, out var p) ? pick(p) : null).ToArray();
            var n = string.Join("/", cells.Select(c => c?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"));
            rows.Add(Row($"P1 {direction}, median (n={n})", cells.Select(c => c?.Median), "≤ 50 ms", 50));
            rows.Add(Row($"P1 {direction}, p95", cells.Select(c => c?.P95), "≤ 300 ms", 300));
            rows.Add(Row($"P1 {direction}, max", cells.Select(c => c?.Max), "", null));
        }

        if (r.FirstSetup.Count > 0)
        {
            rows.Add(Ours("P2 setup (SyncThing installed) until healthy, wall", Summary.Of(r.FirstSetup.Select(t => t.WallMs).ToList()).Median, "≤ 1.5 s", 1500));
            rows.Add(Ours("P2 same, agent CPU (user+sys)", Summary.Of(r.FirstSetup.Select(t => t.CpuMs).ToList()).Median, "", null));
            rows.Add(Ours($"P2 re-run on a set-up devbox, wall median (n={r.RepeatedSetup.Count})", Summary.Of(r.RepeatedSetup.Select(t => t.WallMs).ToList()).Median, "≤ 1.5 s", 1500));
            rows.Add(Ours("P2 re-run, agent CPU median", Summary.Of(r.RepeatedSetup.Select(t => t.CpuMs).ToList()).Median, "", null));
        }

        if (r.PairToFirstFile.Count > 0)
        {
            rows.Add(Ours($"P3 pair -> first file on laptop, median (n={r.PairToFirstFile.Count})", Summary.Of(r.PairToFirstFile).Median, "≤ 3 s", 3000));
        }

        if (r.FleetPairAll is { } pairAll)
        {
            rows.Add(Ours($"P5 pair {r.FleetSize} devboxes (one after another, until all in sync)", pairAll, "≤ 60 s", 60_000));
        }

        if (r.FleetWriteLatency is { } fleet)
        {
            rows.Add(Ours($"P5 P1 median devbox -> laptop, {r.FleetSize} connected (n={fleet.ToLaptop.Count})", fleet.ToLaptop.Median, "≤ 100 ms", 100));
            rows.Add(Ours($"P5 P1 median laptop -> devbox, {r.FleetSize} connected (n={fleet.ToDevbox.Count})", fleet.ToDevbox.Median, "≤ 100 ms", 100));
            rows.Add(Ours($"P5 P1 p95 / max devbox -> laptop: {Summary.Ms(fleet.ToLaptop.P95)} / {Summary.Ms(fleet.ToLaptop.Max)}; laptop -> devbox", fleet.ToDevbox.P95, "", null));
        }

        if (r.RsyncFloor is { } rsync)
        {
            double?[] Burst(Func<(double Indexed, double Complete), double> pick) =>
                [.. SyncTuning.All.Select(t => r.Burst.TryGetValue(t.Key, out var v) ? pick(v) : (double?)null)];
            rows.Add(Row($"P6 {Workloads.Burst.Files} x 10 KB devbox -> all on laptop (rsync floor {rsync:0} ms)", Burst(b => b.Complete), $"≤ 2 × rsync = {2 * rsync:0} ms", 2 * rsync));
            rows.Add(Row("P6 same, until the devbox's SyncThing has indexed them all", Burst(b => b.Indexed), "", null));
            if (r.BurstWithoutFsync is { } noFsync)
            {
                rows.Add(Row("P6 diagnostic: (d) with fsync off on the laptop (disableFsync; not shipped)", [null, null, null, noFsync.Complete], "", null));
            }
        }

        var text = new StringBuilder();
        text.AppendLine("| workload | (a) defaults | (b) original | (c) ours | (d) ours + accel | target | (d) meets |");
        text.AppendLine("|---|---:|---:|---:|---:|---|:-:|");
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        return text.ToString();
    }

    private static string[] Row(string metric, IEnumerable<double?> values, string target, double? limit)
    {
        var cells = values.ToArray();
        var verdict = limit is null || cells[^1] is null ? "" : cells[^1] <= limit ? "yes" : "**no**";
        return [metric, .. cells.Select(v => v is { } x ? Summary.Ms(x) : "–"), target, verdict];
    }

    // Workloads measured once with our setup: the accelerator does not change them, so the figure stands for (c) and (d).
    private static string[] Ours(string metric, double value, string target, double? limit) =>
        Row(metric, [null, null, null, value], target, limit);
}
