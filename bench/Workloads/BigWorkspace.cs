using System.Diagnostics;
using System.Globalization;
using System.Text;
using Thopter.Bench.Report;
using Thopter.Bench.Rig;
using Thopter.Laptop.Agent;
using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Laptop.Seed;
using Thopter.Laptop.Transport;
using Thopter.Shared.Ignore;
using Thopter.Shared.Processes;
using Thopter.Tests.Harness.ReleaseMirror;

namespace Thopter.Bench.Workloads;

/// <summary>
/// P7 and P8 (issue 17) on devboxes whose folder already holds a <see cref="Workspace"/> when it is paired:
/// P7 times pair until the laptop has every non-ignored file, seeded (as `thopter sync pair` does: the agent's pack
/// through the transport, then SyncThing confirms) and by SyncThing alone, against rsync of the same tree (node_modules
/// excluded) over the same docker exec transport, and reads the inotify watches, CPU and RSS of SyncThing and the agent's
/// accelerator from /proc in the devbox. P8 then churns node_modules (files created and deleted in batches over
/// ~30 s) while timing single writes devbox -> laptop, and reads the CPU both spent meanwhile.
/// </summary>
public sealed class BigWorkspace(Workspace workspace, int trials, Action<string> log)
{
    public const int ChurnBatches = 50;
    public const int ChurnFilesPerBatch = 1000;
    private const string SyncthingPattern = "[s]yncthing serve";
    private const string AcceleratorPattern = "[t]hopter-agent accelerate";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    public async Task<string> RunAsync(LocalReleaseMirror mirror, LaptopNode laptop, CancellationToken ct)
    {
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Workspace: {workspace}.")
            .AppendLine()
            .AppendLine("| measure | value |")
            .AppendLine("|---|---:|");
        var root = Directory.CreateTempSubdirectory("thopter-bench-p7-").FullName;
        try
        {
            var tree = Path.Combine(root, "code");
            var clock = Stopwatch.StartNew();
            workspace.Generate(tree);
            await File.WriteAllTextAsync(Path.Combine(tree, StIgnore.FileName), StIgnore.Merge(null), ct);
            log($"P7: generated {workspace} in {clock.Elapsed.TotalSeconds:0} s");

            foreach (var (name, value) in WatcherComparison.Run(tree))
            {
                Row(table, name, value);
            }

            var seeded = await SeededAsync(table, mirror, tree, ct);
            if (workspace == Workspace.Quick)
            {
                Row(table, "P7 SyncThing alone, tuned: knobs", InitialSyncTuning.Knobs);
                await TunedAloneAsync(table, mirror, tree, new InitialSyncTuning(WithoutFsync: false), ct);
                await TunedAloneAsync(table, mirror, tree, new InitialSyncTuning(WithoutFsync: true), ct);
            }

            log("P7: SyncThing alone: a second devbox with the same workspace, paired into the laptop's empty folder");
            await using var devbox = await DevboxNode.StartAsync(mirror, install: true, ct);
            await devbox.Devbox.CopyInAsync(tree, DevboxNode.FolderPath, "dev", ct);

            var started = RealTime.NowMs();
            await Pairing.PairAsync(laptop, devbox, ct);
            var paired = RealTime.NowMs();
            var indexed = IndexedAsync(devbox, ct);
            var connected = ConnectedAsync(laptop, devbox, ct);
            var complete = await RealTime.WhenAsync(() => SyncedFiles(laptop.FolderPath) >= workspace.Files, Timeout, $"{workspace.Files} files on the laptop", pollMs: 500);
            Row(table, "P7 pair (agent setup + laptop REST) ms", $"{paired - started:0}");
            Row(table, "P7 pair -> devbox SyncThing has indexed (hashed) the workspace, s", $"{(await indexed - started) / 1000:0.0}");
            Row(table, "P7 pair -> both SyncThings connected, s", $"{(await connected - started) / 1000:0.0}");
            Row(table, "P7 SyncThing alone: pair -> laptop has every non-ignored file, s", $"{(complete - started) / 1000:0.0}");
            log($"P7: every file on the laptop {(complete - started) / 1000:0.0} s after pair started");

            var rsync = await RsyncAsync(devbox, root, ct);
            Row(table, "P7 rsync -a --exclude node_modules over docker exec, s", $"{rsync / 1000:0.0}");
            Row(table, "P7 seeded: ratio to rsync, every file on the laptop (goal ≤ 3)", $"{seeded.Complete / rsync:0.0}");
            Row(table, "P7 seeded: ratio to rsync, SyncThing in sync both sides", $"{seeded.InSync / rsync:0.0}");
            Row(table, "P7 SyncThing alone: ratio to rsync", $"{(complete - started) / rsync:0.0}");
            log($"P7: rsync took {rsync / 1000:0.0} s");

            var syncthing = await DevboxProcessStats.ReadAsync(devbox, SyncthingPattern, ct);
            var accelerator = await DevboxProcessStats.ReadAsync(devbox, AcceleratorPattern, ct);
            Row(table, "P7 devbox SyncThing inotify watches after the initial sync", $"{syncthing.Watches}");
            Row(table, "P7 devbox accelerator inotify watches", $"{accelerator.Watches}");
            Row(table, "P7 directories outside node_modules (what needs a watch)", $"{workspace.SyncedDirectories}");
            Row(table, "P7 devbox accelerator RSS MB", $"{accelerator.RssMb:0.0}");
            Row(table, "P7 devbox SyncThing CPU for the initial sync, s", $"{syncthing.CpuMs / 1000:0.0}");

            await ChurnAsync(table, laptop, devbox, ct);
            return table.ToString();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// P7 as `thopter sync pair` runs it now: setup on a devbox holding the workspace, its folder packed by the agent
    /// through the transport and unpacked into a fresh laptop's empty folder (the laptop's own SyncThing, so the run that
    /// follows still starts from nothing), the laptop's SyncThing hashes it, then the folder is shared and both sides
    /// settle. Milliseconds from the start of pairing until the laptop had every file and until both were in sync.
    /// </summary>
    private async Task<(double Complete, double InSync)> SeededAsync(StringBuilder table, LocalReleaseMirror mirror, string tree, CancellationToken ct)
    {
        log("P7 seeded: starting a devbox with SyncThing installed and copying the workspace into its folder (not timed)");
        await using var laptop = await LaptopNode.StartAsync(ct);
        await Pairing.CreateLaptopFolderAsync(laptop, ct);
        await using var devbox = await DevboxNode.StartAsync(mirror, install: true, ct);
        await devbox.Devbox.CopyInAsync(tree, DevboxNode.FolderPath, "dev", ct);

        var started = RealTime.NowMs();
        await devbox.SetupAsync(laptop.DeviceId, laptop.ListenPort, ct);
        var setUp = RealTime.NowMs();
        var transport = new DevboxTransport(devbox.Name, ["docker", "exec", "-u", "dev", devbox.Devbox.ContainerId], new ProcessRunner());
        var outcome = await new SeedTransfer(new TunnelProcesses()).RunAsync(new AgentClient(transport), DevboxNode.Folder, laptop.FolderPath, Timeout, ct);
        var complete = RealTime.NowMs();
        var files = SyncedFiles(laptop.FolderPath);
        if (files < workspace.Files)
        {
            throw new InvalidOperationException($"the seed placed {files} of {workspace.Files} files: {outcome}");
        }

        await laptop.Rest.ScanAsync(DevboxNode.Folder, [], Timeout, ct);
        var hashed = RealTime.NowMs();
        await Pairing.ShareWithAsync(laptop, devbox, $"tcp://127.0.0.1:{devbox.ListenPort}", ct);
        await Pairing.WaitConnectedAsync(laptop, devbox, Timeout, ct);
        var connected = RealTime.NowMs();
        using var settled = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = WatchSettlingAsync(laptop, devbox, settled.Token);
        await Pairing.WaitInSyncAsync(laptop, devbox, Timeout, ct);
        var inSync = RealTime.NowMs();
        await settled.CancelAsync();
        await watch;
        var conflicts = Directory.EnumerateFiles(laptop.FolderPath, "*sync-conflict*", SearchOption.AllDirectories).Count();
        Row(table, "P7 seeded: agent setup, s", $"{(setUp - started) / 1000:0.0}");
        Row(table, $"P7 seeded: pack | unpack of {outcome.Written:N0} files / {outcome.Bytes / (1024 * 1024)} MB through docker exec, s", $"{(complete - setUp) / 1000:0.0}");
        Row(table, "P7 seeded: pair -> laptop has every non-ignored file, s", $"{(complete - started) / 1000:0.0}");
        Row(table, "P7 seeded: laptop SyncThing hashed the seeded files, s", $"{(hashed - complete) / 1000:0.0}");
        Row(table, "P7 seeded: shared -> both SyncThings connected, s", $"{(connected - hashed) / 1000:0.0}");
        Row(table, "P7 seeded: connected -> both in sync (index exchange, metadata-only shortcuts), s", $"{(inSync - connected) / 1000:0.0}");
        Row(table, "P7 seeded: pair -> both in sync, s", $"{(inSync - started) / 1000:0.0}");
        Row(table, "P7 seeded: conflict copies on the laptop", $"{conflicts}");
        return (complete - started, inSync - started);
    }

    // Every 5 s until both are in sync: each side's folder state, what it still needs and its errors, to show where the
    // time between connection and "in sync" goes.
    private async Task WatchSettlingAsync(LaptopNode laptop, DevboxNode devbox, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(5000, ct);
                foreach (var (side, rest) in new[] { ("laptop", laptop.Rest), ("devbox", devbox.Rest) })
                {
                    var status = await rest.GetFolderStatusAsync(DevboxNode.Folder, ct);
                    var errors = await rest.GetErrorsAsync(ct);
                    log($"P7 seeded settling: {side} {status.State}, needs {status.NeedTotalItems}, pull errors {status.Errors}, last log error: {errors.LastOrDefault()?.Message ?? "none"}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>P7 by SyncThing alone with its own knobs turned (<see cref="InitialSyncTuning"/>), on a fresh laptop and devbox.</summary>
    private async Task TunedAloneAsync(StringBuilder table, LocalReleaseMirror mirror, string tree, InitialSyncTuning tuning, CancellationToken ct)
    {
        var name = tuning.WithoutFsync ? "tuned + no fsync (the floor without fsync; not shipped)" : "tuned";
        log($"P7 SyncThing alone, {name}: a fresh laptop and devbox");
        await using var laptop = await LaptopNode.StartAsync(ct);
        await Pairing.CreateLaptopFolderAsync(laptop, ct);
        await tuning.ApplyLaptopAsync(laptop.Rest, ct);
        await using var devbox = await DevboxNode.StartAsync(mirror, install: true, ct);
        await devbox.Devbox.CopyInAsync(tree, DevboxNode.FolderPath, "dev", ct);

        var started = RealTime.NowMs();
        await devbox.SetupAsync(laptop.DeviceId, laptop.ListenPort, ct);
        await tuning.ApplyDevboxAsync(devbox.Rest, ct);
        await Pairing.ShareWithAsync(laptop, devbox, $"tcp://127.0.0.1:{devbox.ListenPort}", ct);
        var complete = await RealTime.WhenAsync(() => SyncedFiles(laptop.FolderPath) >= workspace.Files, Timeout, $"{workspace.Files} files on the laptop", pollMs: 500);
        Row(table, $"P7 SyncThing alone, {name}: pair -> laptop has every non-ignored file, s", $"{(complete - started) / 1000:0.0}");
    }

    private async Task ChurnAsync(StringBuilder table, LaptopNode laptop, DevboxNode devbox, CancellationToken ct)
    {
        var latency = new WriteLatency(laptop, devbox);
        var quiet = new List<double>();
        for (var i = 0; i < trials; i++)
        {
            quiet.Add(await latency.DevboxToLaptopAsync($"p8-quiet-{i}.txt", ct));
            await Task.Delay(300, ct);
        }

        var acceleratorBefore = await DevboxProcessStats.ReadAsync(devbox, AcceleratorPattern, ct);
        var syncthingBefore = await DevboxProcessStats.ReadAsync(devbox, SyncthingPattern, ct);
        var churnScript = $$"""
            cd {{DevboxNode.FolderPath}}/node_modules
            for i in $(seq {{ChurnBatches}}); do
              mkdir -p churn$i/lib && (cd churn$i/lib && touch f{1..{{ChurnFilesPerBatch}}}.js)
              sleep 0.3
              rm -rf churn$i
              sleep 0.3
            done
            """;
        log($"P8: {ChurnBatches * ChurnFilesPerBatch:N0} files created and deleted in node_modules, P1 devbox -> laptop meanwhile");
        var clock = Stopwatch.StartNew();
        var churn = devbox.Devbox.ExecAsync("dev", ["bash", "-c", churnScript], new Thopter.Tests.Harness.Docker.ExecOptions { Timeout = TimeSpan.FromMinutes(10) }, ct);
        var during = new List<double>();
        var index = 0;
        while (!churn.IsCompleted)
        {
            during.Add(await latency.DevboxToLaptopAsync($"p8-churn-{index++}.txt", ct));
            await Task.Delay(500, ct);
        }

        (await churn).EnsureSuccess();
        var churnSeconds = clock.Elapsed.TotalSeconds;
        var acceleratorAfter = await DevboxProcessStats.ReadAsync(devbox, AcceleratorPattern, ct);
        var syncthingAfter = await DevboxProcessStats.ReadAsync(devbox, SyncthingPattern, ct);
        var calm = Summary.Of(quiet);
        var busy = Summary.Of(during);
        Row(table, $"P8 P1 devbox -> laptop without churn, median / p95 ms (n={quiet.Count})", $"{calm.Median:0} / {calm.P95:0}");
        Row(table, $"P8 P1 devbox -> laptop during the churn, median / p95 ms (n={during.Count}, goal median ≤ 50)", $"{busy.Median:0} / {busy.P95:0}");
        Row(table, $"P8 accelerator CPU during {churnSeconds:0} s of churn, ms", $"{acceleratorAfter.CpuMs - acceleratorBefore.CpuMs:0}");
        Row(table, $"P8 SyncThing CPU during the churn, ms", $"{syncthingAfter.CpuMs - syncthingBefore.CpuMs:0}");
        Row(table, "P8 accelerator inotify watches after the churn", $"{acceleratorAfter.Watches}");
    }

    // When the devbox's SyncThing has hashed every source file: the rest of the time is transfer and the laptop's writes.
    private async Task<double> IndexedAsync(DevboxNode devbox, CancellationToken ct)
    {
        while ((await devbox.Rest.GetFolderStatusAsync(DevboxNode.Folder, ct)).LocalFiles < workspace.Files)
        {
            await Task.Delay(200, ct);
        }

        return RealTime.NowMs();
    }

    private static async Task<double> ConnectedAsync(LaptopNode laptop, DevboxNode devbox, CancellationToken ct)
    {
        await Pairing.WaitConnectedAsync(laptop, devbox, Timeout, ct);
        return RealTime.NowMs();
    }

    private async Task<double> RsyncAsync(DevboxNode devbox, string root, CancellationToken ct)
    {
        var target = Path.Combine(root, "rsync-copy");
        var start = new ProcessStartInfo("rsync") { RedirectStandardError = true };
        foreach (var argument in new[] { "-a", "--exclude", "node_modules", "-e", "docker exec -i -u dev", $"{devbox.Devbox.ContainerId}:{DevboxNode.FolderPath}/", target + "/" })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var rsync = Process.Start(start)!;
        var errors = await rsync.StandardError.ReadToEndAsync(ct);
        await rsync.WaitForExitAsync(ct);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        var copied = SyncedFiles(target);
        return rsync.ExitCode == 0 && copied >= workspace.Files
            ? elapsed
            : throw new InvalidOperationException($"rsync exited {rsync.ExitCode} with {copied} of {workspace.Files} files: {errors}");
    }

    // Files of the workspace's source tree (what sync must bring over); SyncThing's own and ours are not counted.
    private static int SyncedFiles(string folder)
    {
        var source = Path.Combine(folder, "src");
        return Directory.Exists(source)
            ? Directory.EnumerateFiles(source, "*.bin", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Count()
            : 0;
    }

    // Each row is logged as it is measured too, so a run that fails later (the 120,000-file container is slow to
    // remove on a loaded engine) still leaves its figures.
    private void Row(StringBuilder table, string name, string value)
    {
        log($"  {name}: {value}");
        table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
    }
}
