using System.Diagnostics;
using System.Net;
using Thopter.Bench.Rig;

namespace Thopter.Bench.Workloads;

/// <summary>
/// A write in the laptop folder until it is in the laptop SyncThing's own index (/rest/db/file), with SyncThing's
/// watcher delay at 10 s: only the daemon's accelerator can make it faster than that.
/// </summary>
public static class IndexLatency
{
    private static readonly TimeSpan PerWrite = TimeSpan.FromSeconds(15);

    public static async Task<IReadOnlyList<double>> RunAsync(LaptopNode laptop, string folderPath, int trials, CancellationToken ct)
    {
        await Pairing.ApplyAsync(laptop.Rest, SyncTuning.Defaults, ct);
        // Not counted: the first write also waits for the daemon to pick up the settings and start watching.
        await TimeAsync(laptop, folderPath, "index-warm-up.txt", TimeSpan.FromSeconds(30), ct);
        var samples = new List<double>();
        for (var trial = 0; trial < trials; trial++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            samples.Add(await TimeAsync(laptop, folderPath, $"index-{trial}.txt", PerWrite, ct));
        }

        return samples;
    }

    private static async Task<double> TimeAsync(LaptopNode laptop, string folderPath, string name, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await File.WriteAllTextAsync(Path.Combine(folderPath, name), name, ct);
        while (clock.Elapsed < timeout)
        {
            using var response = await laptop.Syncthing.Client.GetAsync(new Uri($"rest/db/file?folder={DevboxNode.Folder}&file={Uri.EscapeDataString(name)}", UriKind.Relative), ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return clock.Elapsed.TotalMilliseconds;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2), ct);
        }

        throw new TimeoutException($"{name} was not in the laptop SyncThing's index {timeout.TotalSeconds:0} s after it was written");
    }
}
