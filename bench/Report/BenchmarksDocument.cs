using System.Text;
using Thopter.Bench.Rig;

namespace Thopter.Bench.Report;

/// <summary>docs/benchmarks.md: machine and date, the four setups, the table, the chart, how each figure is measured.</summary>
public static class BenchmarksDocument
{
    /// <summary>Everything after this line in an existing docs/benchmarks.md is hand-written analysis and is kept by the next run.</summary>
    public const string AnalysisMarker = "<!-- analysis (hand-written, kept when the bench rewrites this file) -->";

    public static string Render(BenchResults r, BenchOptions options, MachineInfo machine, string? chartFile, string? previous)
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine()
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Machine: {machine}. Run: `scripts/bench.sh{(options.Quick ? " --quick" : "")}` "
                + $"({options.Trials} P1 trials each way for (c) and (d), {options.SlowTrials} for the slow setups (a) and (b), "
                + $"{options.PairTrials} P3 pairings, a fleet of {options.FleetSize} devboxes for P5).")
            .AppendLine().AppendLine("Setups (SyncThing v1.19.2 on both sides; the laptop is SyncThing on the host, each devbox a systemd container on the host network, all on 127.0.0.1):").AppendLine();
        foreach (var tuning in SyncTuning.All)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"- ({tuning.Key}) {tuning.Name}");
        }

        text.AppendLine().AppendLine("Cells are medians unless the row says otherwise; P1 is also shown as p95 and max. ‘–’: not measured for that setup.").AppendLine()
            .Append(ResultTable.Render(r, options)).AppendLine();
        if (chartFile is not null)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"![P1 latency per setup]({chartFile})").AppendLine();
        }

        foreach (var note in r.Notes)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"- {note}");
        }

        text.Append(Method);
        var kept = previous?.IndexOf(AnalysisMarker, StringComparison.Ordinal) ?? -1;
        return (kept >= 0 ? text.AppendLine().Append(previous![kept..]) : text).ToString();
    }

    private const string Method = """

        ## How it is measured

        - **Clock.** Containers share the host kernel, so a time stamp taken inside a devbox (bash's `$EPOCHREALTIME`, a
          builtin: no process is started) and one taken on the host are on the same CLOCK_REALTIME. No figure includes
          `docker exec` start-up.
        - **P1, devbox → laptop.** The host starts spinning on `stat()` of the laptop's copy (about 1 ms sleeps, own
          thread), then `docker exec` runs `echo $EPOCHREALTIME; head -c 1024 /dev/urandom > ~/code/f` as user dev.
          Latency = first time the host sees the file − the stamp. SyncThing writes a temp file and renames it, so an
          existing name is a complete file.
        - **P1, laptop → devbox.** A bash loop is started in the devbox (`while [ ! -e f ]; do sleep 0.001; done; echo
          $EPOCHREALTIME`, bounded to 60 s) and confirmed running (it prints `ready`) before the host stamps and writes
          1 KB into the laptop's folder. Latency = the loop's stamp − the host's stamp; `sleep 0.001` forks, so the
          loop's resolution is about 1–2 ms.
        - Trials alternate direction with a 300 ms pause; each file has a new name. The setups differ only in the
          folder's `fsWatcherDelayS`/`rescanIntervalS` (set through the REST API on both sides) and, for (d), the
          accelerator (shared/Acceleration) running on both sides: on the devbox the agent's own
          `thopter-accelerator.service` (which setup installs; the bench stops it for (a)–(c)), on the laptop the same
          Accelerator and REST scanner `thopter sync watch` runs, hosted in the bench process because the bench wires
          its laptop SyncThing itself.
        - **P2.** `thopter-agent setup` (the real AOT binary) on a fresh devbox where `thopter-agent install` already put
          SyncThing, timed inside the devbox with bash's `time`: wall time to exit 0 (setup returns only once
          SyncThing's REST API answers with this devbox's ID, i.e. healthy) and the agent's user+system CPU (SyncThing
          runs under systemd, not as the agent's child, so its CPU is not counted). Re-runs on the set-up devbox too.
        - **P3.** A fresh devbox with SyncThing installed and one file in `~/code`; the clock (host) starts, the pairing
          runs (agent setup through `docker exec`, then the laptop's REST API adds the device and shares the folder,
          the steps `thopter sync pair` performs) and stops when the file exists in the laptop's folder.
        - **P5.** A separate laptop SyncThing and N devboxes started (4 at a time) with SyncThing installed; then they
          are paired one after another (each until connected) and the clock stops when every devbox is in sync
          (connected, both folders idle, completion 100 % both ways). Then P1 rotates over the devboxes with
          accelerators on every side.
        - **P6.** 1,000 random files of 10 KB are prepared in the devbox's /tmp (not timed), then one `cp -r` copies
          them into `~/code/burst-X` (stamp just before it); the host polls the laptop's copy (every 10 ms) until it holds 1,000
          finished files. Floor: `rsync -a` of the same directory from the devbox to an rsync daemon on 127.0.0.1 on the
          host, timed inside the devbox.
        - Every SyncThing listens on 127.0.0.1 only, with global/local discovery, relays, NAT traversal, usage and crash
          reporting and upgrades off (devboxes via `thopter-agent setup --isolated`). Every wait is bounded. Containers
          carry the harness's `thopter.test` labels plus `thopter.bench=1` and are removed at the end (the harness's
          reaper removes them even if the bench is killed).
        """;
}
