using System.Globalization;

namespace Thopter.Bench;

/// <summary>Command line of `thopter-bench [--quick] [--fleet N] [--trials N] [--slow-trials N] [--out FILE] [--only P6|P7|WAN|tunnel|subsecond]`.</summary>
/// <param name="Only">
/// Run just this workload, printed, no document written: "P6" (--trials bursts with the accelerator), "P7" (a big
/// workspace with node_modules paired, then P8's churn in node_modules; --quick makes it a tenth), "WAN" (the tunnel,
/// the original design's relay route and a direct connection across one simulated WAN, --trials P1 each way), "tunnel"
/// (the tunnel through `docker exec -i` against the direct loopback route, --trials P1 each way, then killed transports) or
/// "subsecond" (SyncThing 1.29.5's sub-second watcher against the accelerator, --trials single writes per setup and a burst).
/// </param>
public sealed record BenchOptions(bool Quick, int FleetSize, int Trials, int SlowTrials, int PairTrials, string OutputPath, string? Only = null)
{
    public const string Usage = "usage: thopter-bench [--quick] [--fleet N] [--trials N] [--slow-trials N] [--out docs/benchmarks.md] [--only P6|P7|WAN|tunnel|subsecond]";

    public static BenchOptions Parse(IReadOnlyList<string> args, string repoRoot)
    {
        var quick = args.Contains("--quick");
        var options = new BenchOptions(quick, quick ? 3 : 20, quick ? 10 : 50, quick ? 2 : 5, quick ? 1 : 3, Path.Combine(repoRoot, "docs", "benchmarks.md"));
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--quick" => options,
                "--fleet" => options with { FleetSize = Number(args, ++i) },
                "--trials" => options with { Trials = Number(args, ++i) },
                "--slow-trials" => options with { SlowTrials = Number(args, ++i) },
                "--out" => options with { OutputPath = Path.GetFullPath(Value(args, ++i)) },
                "--only" => options with { Only = Value(args, ++i) is "P6" or "P7" or "WAN" or "tunnel" or "subsecond" ? args[i] : throw new ArgumentException($"--only takes P6, P7, WAN, tunnel or subsecond (the workloads that run alone)\n{Usage}") },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'\n{Usage}"),
            };
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, int i) => i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value\n{Usage}");

    private static int Number(IReadOnlyList<string> args, int i) =>
        int.TryParse(Value(args, i), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1000
            ? n
            : throw new ArgumentException($"{args[i - 1]} takes a whole number from 1 to 1000\n{Usage}");
}
