namespace Thopter.Bench.Rig;

/// <summary>
/// One of the four setups the benchmarks compare: SyncThing's folder watcher settings on both sides, and whether the
/// accelerator (inotify -> targeted POST /rest/db/scan) runs beside each SyncThing.
/// </summary>
public sealed record SyncTuning(string Key, string Name, int WatcherDelayS, int RescanIntervalS, bool Accelerated)
{
    /// <summary>(a) SyncThing's own defaults.</summary>
    public static SyncTuning Defaults { get; } = new("a", "SyncThing defaults (watcher delay 10 s, rescan 3600 s)", 10, 3600, false);

    /// <summary>(b) The original design: the shortest watcher delay and a 30 s rescan as the safety net.</summary>
    public static SyncTuning Original { get; } = new("b", "original design (watcher delay 1 s, rescan 30 s)", 1, 30, false);

    /// <summary>(c) What `thopter-agent setup` and `thopter sync init` write, without the accelerator.</summary>
    public static SyncTuning Ours { get; } = new("c", "ours without accelerator (watcher delay 1 s, rescan 3600 s)", 1, 3600, false);

    /// <summary>(d) Ours with the accelerator on both sides.</summary>
    public static SyncTuning OursAccelerated { get; } = new("d", "ours with accelerator (c + targeted scans on both sides)", 1, 3600, true);

    public static IReadOnlyList<SyncTuning> All { get; } = [Defaults, Original, Ours, OursAccelerated];
}
