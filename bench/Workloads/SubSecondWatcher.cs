using System.Diagnostics;
using System.Globalization;
using System.Text;
using Thopter.Bench.Report;
using Thopter.Bench.Rig;
using Thopter.Shared.Config;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness;

namespace Thopter.Bench.Workloads;

/// <summary>
/// subsecond (--only subsecond): since 1.29 SyncThing takes a fractional fsWatcherDelayS (down to 0.01 s). Two real SyncThing 1.29.5 on 127.0.0.1
/// share one folder; the writer's own watcher at 0.05/0.1/0.2/1 s is timed against the accelerator (watcher left at 10 s),
/// for single writes and a 100-file burst, with the CPU each costs. SyncThing's cost is the writer's utime+stime from
/// /proc; ours is the bench process's (the accelerator runs in it; its polling loop is the same for every row).
/// </summary>
public sealed class SubSecondWatcher(Action<string> log)
{
    public const string Binary = "/opt/thopter-test/syncthing-1.29.5/syncthing";
    public const string Version = "v1.29.5";
    public const int BurstFiles = 100;
    private const string FolderId = "subsecond";
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);

    private static readonly (string Name, double DelayS, bool Accelerated)[] Setups =
    [
        ("SyncThing watcher, delay 0.05 s", 0.05, false),
        ("SyncThing watcher, delay 0.1 s", 0.1, false),
        ("SyncThing watcher, delay 0.2 s", 0.2, false),
        ("SyncThing watcher, delay 1 s (what 1.19 allows)", 1, false),
        ("accelerator (watcher delay 10 s)", 10, true),
    ];

    public async Task<string> RunAsync(int trials, CancellationToken ct)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install SyncThing 1.29.5 there (see ENVIRONMENT.md) or run scripts/bootstrap.sh");
        }

        var root = Directory.CreateTempSubdirectory("thopter-bench-subsecond-");
        try
        {
            var writer = SyncthingTestHome.Create(Path.Combine(root.FullName, "writer"), "writer", Version);
            var reader = SyncthingTestHome.Create(Path.Combine(root.FullName, "reader"), "reader", Version);
            var writerDir = Path.Combine(root.FullName, "writer-folder");
            var readerDir = Path.Combine(root.FullName, "reader-folder");
            Share(writer, reader, writerDir);
            Share(reader, writer, readerDir);
            await using var writing = await SyncthingProcess.StartAsync(new SyncthingBinary(SyncthingBinary.V1_29, Binary), writer.HomeDir, cancellationToken: ct);
            await using var reading = await SyncthingProcess.StartAsync(new SyncthingBinary(SyncthingBinary.V1_29, Binary), reader.HomeDir, cancellationToken: ct);
            using var rest = new SyncthingRestClient(writing.BaseAddress, new SyncthingApiKey(writing.ApiKey));
            await Thopter.Shared.Timing.Wait.UntilAsync(
                "the two SyncThing 1.29.5 to connect",
                async c => (await rest.GetConnectionsAsync(c)).TryGetValue(reader.DeviceId.ToString(), out var link) && link.Connected,
                TimeSpan.FromMilliseconds(200),
                TimeSpan.FromSeconds(60),
                cancellationToken: ct);

            var table = new StringBuilder()
                .AppendLine("| setup (SyncThing " + Version + ", loopback) | single write p50 ms | p95 ms | " + BurstFiles.ToString(CultureInfo.InvariantCulture) + "-file burst ms | SyncThing CPU ms/write | bench+accelerator CPU ms/write |")
                .AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var setup in Setups)
            {
                await SetDelayAsync(rest, setup.DelayS, ct);
                await using var accelerator = setup.Accelerated ? await AcceleratorRun.StartAsync(writerDir, FolderId, rest) : null;
                log($"subsecond {setup.Name}: {trials} single writes, then a burst of {BurstFiles}");
                var key = setup.DelayS.ToString("0.##", CultureInfo.InvariantCulture) + (setup.Accelerated ? "a" : "w");
                var cpuBefore = (Syncthing: CpuMs(writing.ProcessId), Ours: Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
                var singles = new List<double>();
                for (var i = 0; i < trials; i++)
                {
                    singles.Add(await OneWriteAsync(writerDir, readerDir, $"{key}-{i}.txt"));
                    await Task.Delay(300, ct);
                }

                var syncthingCpu = (CpuMs(writing.ProcessId) - cpuBefore.Syncthing) / trials;
                var oursCpu = (Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - cpuBefore.Ours) / trials;
                var burst = await BurstAsync(writerDir, readerDir, $"burst-{key}");
                var summary = Summary.Of(singles);
                log($"  p50 {summary.Median:0} ms, p95 {summary.P95:0} ms, burst {burst:0} ms, SyncThing CPU {syncthingCpu:0.0} ms/write, ours {oursCpu:0.0} ms/write");
                table.AppendLine(CultureInfo.InvariantCulture,
                    $"| {setup.Name} | {summary.Median:0} | {summary.P95:0} | {burst:0} | {syncthingCpu:0.0} | {oursCpu:0.0} |");
            }

            return table.ToString();
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static void Share(SyncthingTestHome home, SyncthingTestHome peer, string folder)
    {
        Directory.CreateDirectory(folder);
        home.EditConfig(config =>
        {
            config.UpsertDevice(peer.AsPeer());
            config.UpsertFolder(new FolderConfig(FolderId, folder) { Devices = [home.DeviceId, peer.DeviceId], FsWatcherDelayS = 10, RescanIntervalS = 3600 });
        });
    }

    private static async Task SetDelayAsync(SyncthingRestClient rest, double delayS, CancellationToken ct)
    {
        var folder = await rest.GetFolderAsync(FolderId, ct) ?? throw new InvalidOperationException($"folder {FolderId} is gone");
        folder.FsWatcherDelayS = delayS;
        await rest.PutFolderAsync(folder, ct);
        await Thopter.Shared.Timing.Wait.UntilAsync(
            $"folder {FolderId} to be idle with watcher delay {delayS} s",
            async c => (await rest.GetFolderStatusAsync(FolderId, c)).State == "idle" && (await rest.GetFolderAsync(FolderId, c))?.FsWatcherDelayS == delayS,
            TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(60),
            cancellationToken: ct);
        await Task.Delay(1000, ct);
    }

    private static async Task<double> OneWriteAsync(string writerDir, string readerDir, string name)
    {
        var content = $"p7 {name} {Guid.NewGuid():N}";
        var arrived = RealTime.WhenAsync(() => Arrived(Path.Combine(readerDir, name), content.Length), ArrivalTimeout, $"{name} on the reader");
        var written = RealTime.NowMs();
        await File.WriteAllTextAsync(Path.Combine(writerDir, name), content);
        return await arrived - written;
    }

    private static async Task<double> BurstAsync(string writerDir, string readerDir, string name)
    {
        Directory.CreateDirectory(Path.Combine(writerDir, name));
        var payload = new string('x', 1024);
        var last = Path.Combine(readerDir, name);
        var arrived = RealTime.WhenAsync(
            () => Directory.Exists(last) && Directory.EnumerateFiles(last).Count() == BurstFiles && Enumerable.Range(0, BurstFiles).All(i => Arrived(Path.Combine(last, $"{i:D3}.txt"), payload.Length)),
            ArrivalTimeout,
            $"{BurstFiles} files of {name} on the reader",
            pollMs: 5);
        var written = RealTime.NowMs();
        for (var i = 0; i < BurstFiles; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(writerDir, name, $"{i:D3}.txt"), payload);
        }

        return await arrived - written;
    }

    private static bool Arrived(string path, long length)
    {
        var file = new FileInfo(path);
        return file.Exists && file.Length == length;
    }

    /// <summary>
    /// utime + stime of a process and its children (SyncThing 1.x runs as a monitor and the child doing the work), from
    /// /proc/PID/stat: fields 4 (ppid), 14 and 15 (clock ticks of 10 ms).
    /// </summary>
    private static double CpuMs(int pid)
    {
        double total = 0;
        foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")))
        {
            string[] fields;
            try
            {
                var text = File.ReadAllText(stat);
                fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                continue;
            }

            var self = Path.GetFileName(Path.GetDirectoryName(stat)) == pid.ToString(CultureInfo.InvariantCulture);
            if (self || fields[1] == pid.ToString(CultureInfo.InvariantCulture))
            {
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
            }
        }

        return total;
    }
}
