namespace Thopter.Bench.Report;

/// <summary>Median, 95th percentile (nearest rank) and maximum of a set of samples in milliseconds.</summary>
public sealed record Summary(int Count, double Median, double P95, double Max)
{
    public static Summary Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        var p95 = sorted[Math.Clamp((int)Math.Ceiling(0.95 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Summary(sorted.Length, median, p95, sorted[^1]);
    }

    public override string ToString() => $"{Ms(Median)} / {Ms(P95)} / {Ms(Max)} (n={Count})";

    public static string Ms(double value) => value >= 10_000 ? $"{value / 1000:0.0} s" : $"{value:0} ms";
}
