using System.Diagnostics;
using Thopter.Bench.Report;
using Thopter.Bench.Rig;
using Thopter.Bench.Workloads;
using Thopter.Tests.Harness.ReleaseMirror;

namespace Thopter.Bench;

/// <summary>
/// The whole suite in one pass: P2, P1 (four tunings) and P6 on one pair the bench wires itself (so it can time the
/// agent alone and retune both sides), then P3 and P5 through the real `thopter sync init` and `thopter sync pair`.
/// </summary>
public sealed class BenchRun(BenchOptions options, Action<string> log)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(2);
    private readonly BenchResults results = new();

    public async Task<BenchResults> RunAsync(CancellationToken ct)
    {
        var loadBefore = LoadAverage();
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        if (options.Only == "P6")
        {
            await using var p6Laptop = await LaptopNode.StartAsync(ct);
            await BurstOnlyAsync(mirror, p6Laptop, ct);
            return results;
        }

        await using (var laptop = await LaptopNode.StartAsync(ct))
        {
            await OnePairAsync(mirror, laptop, ct);
        }

        await PairToFirstFileAsync(mirror, ct);
        await FleetAsync(mirror, ct);
        results.Notes.Add($"Load average (1/5/15 min) when the run started: {loadBefore}; when it ended: {LoadAverage()}. "
            + "The machine is shared with other work, so a load above the core count inflates every figure.");
        return results;
    }

    /// <summary>`--only P7`: issue 17's big workspace (P7) and node_modules churn (P8) on one devbox; the table as markdown.</summary>
    public static async Task<string> BigWorkspaceAsync(BenchOptions options, Action<string> log, CancellationToken ct)
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var laptop = await LaptopNode.StartAsync(ct);
        var workspace = options.Quick ? Workspace.Quick : Workspace.Full;
        return await new BigWorkspace(workspace, options.Trials, log).RunAsync(mirror, laptop, ct);
    }

    private async Task OnePairAsync(LocalReleaseMirror mirror, LaptopNode laptop, CancellationToken ct)
    {
        log("starting a devbox and installing SyncThing in it (not timed)");
        await using var devbox = await DevboxNode.StartAsync(mirror, install: true, ct);

        log("P2: thopter-agent setup on a devbox where SyncThing is installed");
        var first = await Pairing.PairAsync(laptop, devbox, ct);
        results.FirstSetup.Add(first);
        results.Notes.Add($"P2: the agent's own step timings for that first setup (ms): {first.Steps}.");
        await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
        for (var run = 0; run < 5; run++)
        {
            results.RepeatedSetup.Add(await devbox.SetupAsync(laptop.DeviceId, laptop.ListenPort, ct));
        }

        var latency = new WriteLatency(laptop, devbox);
        var burst = new Burst(laptop, devbox);
        await burst.PrepareAsync(ct);
        foreach (var tuning in SyncTuning.All)
        {
            var trials = tuning.WatcherDelayS > 1 || tuning == SyncTuning.Original ? options.SlowTrials : options.Trials;
            log($"P1 ({tuning.Key}) {tuning.Name}: {trials} trials each way");
            await using var accelerators = await ApplyAsync(tuning, laptop, [devbox], ct);
            var (toLaptop, toDevbox) = await latency.RunAsync(tuning.Key, trials, m => log($"  {m}"), ct);
            results.WriteLatency[tuning.Key] = (Summary.Of(toLaptop), Summary.Of(toDevbox));
            if (tuning == SyncTuning.Ours || tuning == SyncTuning.OursAccelerated)
            {
                log($"P6 ({tuning.Key}): burst of {Burst.Files} x 10 KB devbox -> laptop");
                results.Burst[tuning.Key] = await burst.SyncAsync(tuning.Key, ct);
                await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
            }

            if (tuning == SyncTuning.OursAccelerated)
            {
                log("P6 (d) diagnostic: the same burst with fsync off on the receiving laptop");
                await Pairing.SetFsyncAsync(laptop.Rest, enabled: false, ct);
                await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
                results.BurstWithoutFsync = await burst.SyncAsync("d-nofsync", ct);
                await Pairing.SetFsyncAsync(laptop.Rest, enabled: true, ct);
                await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
            }
        }

        log("P6 floor: rsync of the same files over loopback");
        results.RsyncFloor = await burst.RsyncFloorAsync(ct);
    }

    /// <summary>`--only P6`: one pair with the accelerators, --trials bursts (each removed again before the next) and the rsync floor.</summary>
    private async Task BurstOnlyAsync(LocalReleaseMirror mirror, LaptopNode laptop, CancellationToken ct)
    {
        await using var devbox = await DevboxNode.StartAsync(mirror, install: true, ct);
        await Pairing.PairAsync(laptop, devbox, ct);
        await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
        var burst = new Burst(laptop, devbox);
        await burst.PrepareAsync(ct);
        await using var accelerators = await ApplyAsync(SyncTuning.OursAccelerated, laptop, [devbox], ct);
        var runs = new List<(double Indexed, double Complete)>();
        for (var trial = 0; trial < options.Trials; trial++)
        {
            var run = await burst.SyncAsync($"d{trial}", ct);
            log($"P6 (d) {trial + 1}/{options.Trials}: indexed {run.Indexed:0} ms, on the laptop {run.Complete:0} ms");
            runs.Add(run);
            await burst.RemoveAsync($"d{trial}", ct);
            await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
        }

        results.Burst[SyncTuning.OursAccelerated.Key] = (Summary.Of(runs.Select(r => r.Indexed).ToList()).Median, Summary.Of(runs.Select(r => r.Complete).ToList()).Median);
        results.RsyncFloor = await burst.RsyncFloorAsync(ct);
    }

    private async Task PairToFirstFileAsync(LocalReleaseMirror mirror, CancellationToken ct)
    {
        using var cli = ThopterCli.CreateWithTemporaryHome();
        await using var laptop = await LaptopNode.StartAsync(ct, cli.FolderPath);
        await cli.InitAsync(laptop, ct);
        for (var trial = 0; trial < options.PairTrials; trial++)
        {
            log($"P3: thopter sync pair a fresh devbox -> its first file on the laptop ({trial + 1}/{options.PairTrials})");
            await using var devbox = await DevboxNode.StartAsync(mirror, install: true, ct);
            var name = $"hello-p3-{trial}.txt";
            (await devbox.Devbox.ExecAsync("dev", ["bash", "-c", $"mkdir -p {DevboxNode.FolderPath} && echo hello > {DevboxNode.FolderPath}/{name}"], null, ct)).EnsureSuccess();
            var target = Path.Combine(laptop.FolderPath, name);
            var started = RealTime.NowMs();
            var seen = RealTime.WhenAsync(() => File.Exists(target), SyncTimeout, $"{name} on the laptop");
            await cli.PairAsync(laptop, devbox, ct);
            results.PairToFirstFile.Add(await seen - started);
        }
    }

    private async Task FleetAsync(LocalReleaseMirror mirror, CancellationToken ct)
    {
        results.FleetSize = options.FleetSize;
        log($"P5: starting {options.FleetSize} devboxes with SyncThing installed (not timed)");
        using var cli = ThopterCli.CreateWithTemporaryHome();
        await using var laptop = await LaptopNode.StartAsync(ct, cli.FolderPath);
        await cli.InitAsync(laptop, ct);
        var fleet = new List<DevboxNode>();
        try
        {
            using var gate = new SemaphoreSlim(4);
            var starts = Enumerable.Range(0, options.FleetSize).Select(async _ =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    var node = await DevboxNode.StartAsync(mirror, install: true, ct);
                    lock (fleet)
                    {
                        fleet.Add(node);
                    }
                }
                finally
                {
                    gate.Release();
                }
            });
            await Task.WhenAll(starts);

            log($"P5: thopter sync pair for all {fleet.Count}, one after another (each waits until in sync)");
            var clock = Stopwatch.StartNew();
            foreach (var devbox in fleet)
            {
                await cli.PairAsync(laptop, devbox, ct);
            }

            results.FleetPairAll = clock.Elapsed.TotalMilliseconds;
            await cli.StopDaemonAsync(ct);
            log($"P5: all paired after {results.FleetPairAll:0} ms; P1 with all connected (d)");
            foreach (var devbox in fleet)
            {
                await devbox.ConnectAsync(ct);
            }

            await using var accelerators = await ApplyAsync(SyncTuning.OursAccelerated, laptop, fleet, ct);
            var toLaptop = new List<double>();
            var toDevbox = new List<double>();
            var trials = Math.Max(options.Trials / 2, fleet.Count);
            for (var trial = 0; trial < trials; trial++)
            {
                var latency = new WriteLatency(laptop, fleet[trial % fleet.Count]);
                var (a, b) = await latency.RunAsync($"fleet{trial}", 1, _ => { }, ct);
                toLaptop.AddRange(a);
                toDevbox.AddRange(b);
            }

            results.FleetWriteLatency = (Summary.Of(toLaptop), Summary.Of(toDevbox));
        }
        finally
        {
            await Task.WhenAll(fleet.Select(d => d.DisposeAsync().AsTask()));
        }
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>
    /// Sets the tuning on every side, waits for the folders to settle, and runs the accelerators only if it asks for them:
    /// the devboxes' own thopter-accelerator.service (started or stopped) and the laptop's in the bench process.
    /// </summary>
    private static async Task<AcceleratorSet> ApplyAsync(SyncTuning tuning, LaptopNode laptop, IReadOnlyList<DevboxNode> devboxes, CancellationToken ct)
    {
        await Pairing.ApplyAsync(laptop.Rest, tuning, ct);
        foreach (var devbox in devboxes)
        {
            await Pairing.ApplyAsync(devbox.Rest, tuning, ct);
            await devbox.SetAcceleratorAsync(tuning.Accelerated, ct);
        }

        foreach (var devbox in devboxes)
        {
            await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
        }

        var set = new AcceleratorSet();
        if (tuning.Accelerated)
        {
            await set.AddAsync(laptop.FolderPath, laptop.Rest);

            // Each accelerator starts with one whole-folder scan: let those finish before anything is timed.
            foreach (var devbox in devboxes)
            {
                await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
            }
        }

        return set;
    }
}
