using System.Diagnostics;
using System.Globalization;
using System.Text;
using Thopter.Bench.Report;
using Thopter.Bench.Rig;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;

namespace Thopter.Bench.Workloads;

/// <summary>
/// Issue 14 on one machine: P1 through the tunnel route over `docker exec -i` (a devbox with no network at all, paired by
/// the real `thopter sync pair`, so every sync byte crosses the daemon's listener, docker exec and `thopter-agent
/// tunnel`) against the direct loopback route (a devbox on the host network that its laptop SyncThing dials itself),
/// trial by trial in turn so both see the same load. Then the tunnel's transport is killed a few times, each time
/// timed until a file written on the devbox is on the laptop.
/// </summary>
public sealed class ExecTunnel(Action<string> log)
{
    private const string DevboxSyncthing = "/home/dev/syncthing-binary";
    private const int Kills = 4;
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan BetweenKills = TimeSpan.FromSeconds(15);

    public async Task<string> RunAsync(LocalReleaseMirror mirror, int trials, CancellationToken ct)
    {
        var loadBefore = LoadAverage();
        using var cli = ThopterCli.CreateWithTemporaryHome();
        await using var tunnelLaptop = await LaptopNode.StartAsync(ct, cli.FolderPath);
        await using var tunnelBox = await DevboxNode.StartAsync(mirror, install: false, ct, new DevboxOptions().WithoutNetwork());
        await using var directLaptop = await LaptopNode.StartAsync(ct);
        await using var directBox = await DevboxNode.StartAsync(mirror, install: true, ct);
        try
        {
            log("tunnel: thopter sync init + pair through `docker exec -i` into a devbox without network");
            await tunnelBox.Devbox.CopyInAsync(SyncthingBinary.Default.EnsureInstalled(), DevboxSyncthing, owner: "dev", ct);
            await cli.InitAsync(tunnelLaptop, ct);
            await cli.RunAsync(
                ["sync", "pair", tunnelBox.Name, "--transport", $"docker exec -i -u dev {tunnelBox.Devbox.Name}", "--timeout", "180",
                 "--agent-arg=--syncthing-binary", $"--agent-arg={DevboxSyncthing}"],
                ct);

            log("direct: the agent's setup, the laptop dials the devbox's 127.0.0.1 listener; accelerators on both sides");
            await Pairing.PairAsync(directLaptop, directBox, ct);
            await Pairing.ApplyAsync(directLaptop.Rest, SyncTuning.OursAccelerated, ct);
            await Pairing.ApplyAsync(directBox.Rest, SyncTuning.OursAccelerated, ct);
            await directBox.SetAcceleratorAsync(true, ct);
            await using var accelerators = new AcceleratorSet();
            await accelerators.AddAsync(directLaptop.FolderPath, directLaptop.Rest);
            await Pairing.WaitInSyncAsync(directLaptop, directBox, SyncTimeout, ct);

            var tunnel = new WriteLatency(tunnelLaptop, tunnelBox);
            var direct = new WriteLatency(directLaptop, directBox);
            var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            void Add(string key, double ms) => (samples.TryGetValue(key, out var list) ? list : samples[key] = []).Add(ms);
            for (var trial = 0; trial < trials; trial++)
            {
                Add("tunnel d2l", await tunnel.DevboxToLaptopAsync($"p1-tunnel-d2l-{trial}.bin", ct));
                Add("direct d2l", await direct.DevboxToLaptopAsync($"p1-direct-d2l-{trial}.bin", ct));
                Add("tunnel l2d", await tunnel.LaptopToDevboxAsync($"p1-tunnel-l2d-{trial}.bin", ct));
                Add("direct l2d", await direct.LaptopToDevboxAsync($"p1-direct-l2d-{trial}.bin", ct));
                await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
                if ((trial + 1) % 10 == 0 || trial + 1 == trials)
                {
                    log($"  {trial + 1}/{trials} trials");
                }
            }

            var recoveries = new List<double>();
            for (var kill = 0; kill < Kills; kill++)
            {
                await Task.Delay(BetweenKills, ct);
                recoveries.Add(await KilledTransportAsync(tunnelLaptop, tunnelBox, $"after-kill-{kill}.txt", ct));
                log($"  killed the tunnel's transport: a devbox file on the laptop {recoveries[^1]:0} ms later");
            }

            return Render(samples, recoveries, trials, loadBefore);
        }
        finally
        {
            await cli.StopDaemonAsync(CancellationToken.None);
        }
    }

    /// <summary>Kills every running `docker exec ... thopter-agent tunnel` of the devbox, then times a file written there until it is on the laptop.</summary>
    private static async Task<double> KilledTransportAsync(LaptopNode laptop, DevboxNode devbox, string name, CancellationToken ct)
    {
        var transports = TunnelTransports.Of(devbox.Devbox.Name);
        if (transports.Count == 0)
        {
            throw new InvalidOperationException($"no tunnel transport of {devbox.Devbox.Name} is running");
        }

        var target = Path.Combine(laptop.FolderPath, name);
        var clock = Stopwatch.StartNew();
        foreach (var pid in transports)
        {
            Process.GetProcessById(pid).Kill();
        }

        (await devbox.Devbox.ExecAsync("dev", ["sh", "-c", $"echo x > {DevboxNode.FolderPath}/{name}"], null, ct)).EnsureSuccess();
        await RealTime.WhenAsync(() => File.Exists(target), SyncTimeout, $"{name} on the laptop");
        return clock.Elapsed.TotalMilliseconds;
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Render(Dictionary<string, List<double>> samples, List<double> recoveries, int trials, string loadBefore)
    {
        string Cell(string key) => Summary.Of(samples[key]) is var s ? $"{Summary.Ms(s.Median)} / {Summary.Ms(s.P95)}" : "";
        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"| n={trials} per direction, trials in turn | tunnel via `docker exec -i` | direct loopback |")
            .AppendLine("|---|---:|---:|")
            .AppendLine(CultureInfo.InvariantCulture, $"| P1 devbox -> laptop, median / p95 | {Cell("tunnel d2l")} | {Cell("direct d2l")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| P1 laptop -> devbox, median / p95 | {Cell("tunnel l2d")} | {Cell("direct l2d")} |")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Tunnel transport killed {recoveries.Count} times ({BetweenKills.TotalSeconds:0} s apart): a devbox file on the laptop after {string.Join(", ", recoveries.Select(Summary.Ms))} (median {Summary.Ms(Summary.Of(recoveries).Median)}).")
            .AppendLine(CultureInfo.InvariantCulture, $"Load average (1/5/15 min): {loadBefore} at the start, {LoadAverage()} at the end.")
            .ToString();
    }
}
