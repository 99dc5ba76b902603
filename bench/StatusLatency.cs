using System.Text.Json.Nodes;
using Thopter.Bench.Report;
using Thopter.Bench.Rig;
using Thopter.Bench.Workloads;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;

namespace Thopter.Bench;

/// <summary>
/// `thopter-bench status [--cli BINARY] [--devboxes N] [--trials N]`: the wall time of `thopter sync status --json`
/// as a user's shell sees it (process start included), answered by the daemon, with N paired devboxes. A devbox here
/// is a device record in the laptop's SyncThing and an entry in ~/.thopter.json: status reads neither devbox. Then the
/// daemon's accelerator: a write in the laptop folder until it is in the laptop SyncThing's index.
/// </summary>
public sealed class StatusLatency(TextWriter output)
{
    public async Task<int> RunAsync(string? binary, int devboxes, int trials, CancellationToken ct)
    {
        using var cli = ThopterCli.CreateWithTemporaryHome(binary);
        await using var laptop = await LaptopNode.StartAsync(ct, cli.FolderPath);
        var settings = new SyncSection();
        for (var i = 0; i < devboxes; i++)
        {
            var id = DeviceId.FromBytes([.. Enumerable.Range(i * 7, 32).Select(b => (byte)b)]);
            await laptop.Rest.PutDeviceAsync(new RestDevice { DeviceId = id.ToString(), Name = $"box{i}", Addresses = ["dynamic"] }, ct);
            settings.Devboxes[$"box{i}"] = new DevboxEntry { DeviceId = id.ToString(), Transport = ["ssh", $"box{i}"] };
        }

        new ThopterConfigFile(ThopterConfigFile.DefaultPath(cli.Home)).Save(settings);
        await cli.InitAsync(laptop, ct);

        var warm = await cli.RunAsync(["sync", "status", "--json"], ct);
        var samples = new List<double>();
        for (var trial = 0; trial < trials; trial++)
        {
            samples.Add(await cli.RunAsync(["sync", "status", "--json"], ct));
        }

        var indexed = await IndexLatency.RunAsync(laptop, cli.FolderPath, trials, ct);
        output.WriteLine($"write in ~/{DevboxNode.Folder} -> in the laptop SyncThing's index (daemon accelerator, watcher delay 10 s): median / p95 / max of {trials}: {Summary.Of(indexed)}");
        output.WriteLine($"samples (ms): {string.Join(' ', indexed.Select(s => s.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");
        var rows = JsonNode.Parse(await cli.OutputAsync(["sync", "status", "--json"], ct))!["devboxes"]!.AsArray().Count;
        output.WriteLine($"thopter sync status --json ({string.Join(' ', cli.Command)}), {rows} devboxes through the daemon: first {warm:0} ms; median / p95 / max of {trials}: {Summary.Of(samples)}");
        output.WriteLine($"samples (ms): {string.Join(' ', samples.Select(s => s.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");
        return rows == devboxes ? 0 : 1;
    }
}
