using Thopter.Bench.Rig;

namespace Thopter.Bench.Report;

/// <summary>Everything one bench run measured, in milliseconds; null where a workload was not run.</summary>
public sealed class BenchResults
{
    public Dictionary<string, (Summary ToLaptop, Summary ToDevbox)> WriteLatency { get; } = [];

    public List<AgentTiming> FirstSetup { get; } = [];

    public List<AgentTiming> RepeatedSetup { get; } = [];

    public List<double> PairToFirstFile { get; } = [];

    public int FleetSize { get; set; }

    public double? FleetPairAll { get; set; }

    public (Summary ToLaptop, Summary ToDevbox)? FleetWriteLatency { get; set; }

    public Dictionary<string, (double Indexed, double Complete)> Burst { get; } = [];

    /// <summary>P6 with (d) and SyncThing's disableFsync on the laptop: shows what per-file fsync costs.</summary>
    public (double Indexed, double Complete)? BurstWithoutFsync { get; set; }

    public double? RsyncFloor { get; set; }

    public List<string> Notes { get; } = [];
}
