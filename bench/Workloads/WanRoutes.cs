using System.Globalization;
using System.Text;
using System.Text.Json;
using Thopter.Bench.Report;
using Thopter.Bench.Rig;
using Thopter.Bench.Rig.Wan;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness.ReleaseMirror;

namespace Thopter.Bench.Workloads;

/// <summary>
/// WAN: the three routes between the laptop and a devbox across the same simulated WAN (<see cref="WanDevbox"/>: its
/// own network namespaces, 20 ms each way in a delaying proxy, the devbox reachable only on sshd), side by side in one
/// run, each with a fresh devbox and laptop SyncThing: (a) the tunnel (`thopter sync pair --route tunnel` over ssh),
/// (b) the original design's public route (discovery + relay, local stand-ins, delayed like the devbox), (c) a direct
/// TCP connection to the devbox's SyncThing (the floor). Per route: time from pairing to the devbox's first file on the
/// laptop, P1 both ways with the accelerators, and one 100 MB file devbox -> laptop.
/// </summary>
public sealed class WanRoutes(Action<string> log)
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(20);
    private const int BigFileMb = 100;
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(3);

    private enum Route
    {
        Tunnel,
        Public,
        Direct,
    }

    private sealed record Measured(double FirstSyncMs, Summary ToLaptop, Summary ToDevbox, double BigFileMs);

    public async Task<string> RunAsync(LocalReleaseMirror mirror, int trials, CancellationToken ct)
    {
        var results = new Dictionary<Route, Measured>();
        var notMeasured = new Dictionary<Route, string>();
        foreach (var route in new[] { Route.Direct, Route.Public, Route.Tunnel })
        {
            var missing = route == Route.Tunnel ? await TunnelMissingAsync(ct) : null;
            if (missing is not null)
            {
                log($"WAN ({Key(route)}): not measured: {missing}");
                notMeasured[route] = missing;
                continue;
            }

            log($"WAN ({Key(route)}) {Name(route)}: a devbox behind the link, pairing, {trials} P1 trials each way, one {BigFileMb} MB file");
            try
            {
                var measured = await MeasureAsync(mirror, route, trials, ct);
                log($"  P1 devbox -> laptop {measured.ToLaptop}, laptop -> devbox {measured.ToDevbox}");
                results[route] = measured;
            }
            catch (Exception error) when (!ct.IsCancellationRequested && error is InvalidOperationException or TimeoutException or IOException or Thopter.Shared.Timing.WaitTimeoutException)
            {
                // One route failing is its result; the others' figures are still worth having side by side.
                log($"WAN ({Key(route)}) failed: {error.Message}");
                notMeasured[route] = $"failed: {error.Message.Split('\n')[0]}";
            }
        }

        return Render(results, notMeasured, trials);
    }

    private async Task<Measured> MeasureAsync(LocalReleaseMirror mirror, Route route, int trials, CancellationToken ct)
    {
        await using var wan = await WanDevbox.StartAsync(mirror, Delay, ct);
        var state = Directory.CreateTempSubdirectory("thopter-bench-wan-");
        using var cli = route == Route.Tunnel ? ThopterCli.CreateWithTemporaryHome() : null;
        try
        {
            await using var laptop = await LaptopNode.StartAsync(ct, cli?.FolderPath);
            var servers = route == Route.Public ? await PublicStandIns.StartAsync(wan, state.FullName, ct) : null;
            if (servers is not null)
            {
                await UsePublicRouteAsync(laptop.Rest, servers, ct);
            }

            var devbox = wan.Node;
            const string First = "wan-first.txt";
            (await devbox.Devbox.ExecAsync("dev", ["bash", "-c", $"mkdir -p {DevboxNode.FolderPath} && echo hello > {DevboxNode.FolderPath}/{First}"], null, ct)).EnsureSuccess();
            var seen = RealTime.WhenAsync(() => File.Exists(Path.Combine(laptop.FolderPath, First)), SyncTimeout, $"{First} on the laptop ({Key(route)})");
            var started = RealTime.NowMs();
            if (cli is not null)
            {
                await cli.InitAsync(laptop, ct);
                var agentArgs = IsolatedAgent.SetupArguments(devbox.ListenPort, devbox.GuiPort, $"tcp://127.0.0.1:{laptop.ListenPort}", mirror);
                await cli.RunAsync(
                    ["sync", "pair", devbox.Name, "--transport", $"ssh -F {wan.SshConfig} {WanDevbox.SshHost}", "--route", "tunnel", "--timeout", "120",
                     .. agentArgs.Select(a => $"--agent-arg={a}")],
                    ct);
                await devbox.ConnectAsync(ct);
            }
            else
            {
                await devbox.SetupAsync(laptop.DeviceId, laptop.ListenPort, ct);
                var address = servers is not null ? await UsePublicRouteAsync(devbox, laptop, servers, ct) : await UseDirectRouteAsync(wan, ct);
                await Pairing.ShareWithAsync(laptop, devbox, address, ct);
            }

            var firstSync = await seen - started;
            log($"  first file on the laptop {firstSync:0} ms after pairing started");
            await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);

            // The product's tuning: the accelerators on both sides (for the tunnel route the daemon pair started runs the laptop's).
            await Pairing.ApplyAsync(laptop.Rest, SyncTuning.OursAccelerated, ct);
            await Pairing.ApplyAsync(devbox.Rest, SyncTuning.OursAccelerated, ct);
            await devbox.SetAcceleratorAsync(true, ct);
            await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
            await using var accelerators = new AcceleratorSet();
            if (cli is null)
            {
                await accelerators.AddAsync(laptop.FolderPath, laptop.Rest);
                await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
            }

            var (toLaptop, toDevbox) = await new WriteLatency(laptop, devbox).RunAsync($"wan-{Key(route)}", trials, m => log($"  {m}"), ct);
            var big = await BigFileAsync(laptop, devbox, ct);
            log($"  {BigFileMb} MB devbox -> laptop in {big:0} ms");
            return new Measured(firstSync, Summary.Of(toLaptop), Summary.Of(toDevbox), big);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    /// <summary>The devbox's SyncThing listens on its veth address; the laptop dials it through the delaying proxy.</summary>
    private static async Task<string> UseDirectRouteAsync(WanDevbox wan, CancellationToken ct)
    {
        await wan.Node.Rest.PatchOptionsAsync(new RestOptions { ListenAddresses = [$"tcp://0.0.0.0:{wan.Node.ListenPort}"] }, ct);
        var exposed = wan.Expose(wan.Node.ListenPort);
        return $"tcp://{exposed.Address}:{exposed.Port}";
    }

    /// <summary>The devbox listens only through the relay, announces to the discovery stand-in and finds the laptop there.</summary>
    private static async Task<string> UsePublicRouteAsync(DevboxNode devbox, LaptopNode laptop, PublicStandIns servers, CancellationToken ct)
    {
        await UsePublicRouteAsync(devbox.Rest, servers, ct);
        await devbox.Rest.PutDeviceAsync(new RestDevice { DeviceId = laptop.DeviceId.ToString(), Name = "laptop", Addresses = ["dynamic"] }, ct);
        return "dynamic";
    }

    /// <summary>What the original design set on both sides, pointed at the stand-ins: global discovery and relays on, nothing else outside.</summary>
    private static async Task UsePublicRouteAsync(SyncthingRestClient rest, PublicStandIns servers, CancellationToken ct)
    {
        using var announce = JsonDocument.Parse($"[\"{JsonEncodedText.Encode(servers.DiscoveryUri)}\"]");
        await rest.PatchOptionsAsync(
            new RestOptions
            {
                ListenAddresses = [servers.RelayUri],
                GlobalAnnounceEnabled = true,
                RelaysEnabled = true,
                LocalAnnounceEnabled = false,
                NatEnabled = false,
                ExtensionData = new() { ["globalAnnounceServers"] = announce.RootElement.Clone() },
            },
            ct);
    }

    /// <summary>One 100 MB file made in the devbox's /tmp (not timed), moved into the folder (stamp), until it is complete on the laptop.</summary>
    private static async Task<double> BigFileAsync(LaptopNode laptop, DevboxNode devbox, CancellationToken ct)
    {
        const string Name = "wan-100mb.bin";
        (await devbox.Devbox.ExecAsync("dev", ["bash", "-c", $"head -c {BigFileMb}M /dev/urandom > /tmp/{Name}"], null, ct)).EnsureSuccess();
        var target = Path.Combine(laptop.FolderPath, Name);
        var arrived = RealTime.WhenAsync(() => new FileInfo(target) is { Exists: true, Length: BigFileMb * 1024L * 1024 }, SyncTimeout, $"{Name} on the laptop", pollMs: 5);
        var moved = await devbox.Devbox.ExecAsync("dev", ["bash", "-c", $"echo $EPOCHREALTIME; mv /tmp/{Name} {DevboxNode.FolderPath}/{Name}"], null, ct);
        return await arrived - RealTime.ParseEpochRealtime(moved.EnsureSuccess().StandardOutput);
    }

    /// <summary>What route (a) still lacks in this build, or null when `thopter sync pair` offers `--route tunnel`.</summary>
    private static async Task<string?> TunnelMissingAsync(CancellationToken ct)
    {
        using var cli = ThopterCli.CreateWithTemporaryHome();
        string help;
        try
        {
            help = await cli.OutputAsync(["sync", "pair", "--help"], ct);
        }
        catch (InvalidOperationException error)
        {
            help = error.Message;
        }

        return help.Contains("--route", StringComparison.Ordinal)
            ? null
            : "this build's `thopter sync pair` has no `--route tunnel` (issue 14 items 1-3: `thopter-agent tunnel`, the daemon's 127.0.0.1 listener per devbox, `pair --route`)";
    }

    private static string Key(Route route) => route switch
    {
        Route.Tunnel => "a",
        Route.Public => "b",
        _ => "c",
    };

    private static string Name(Route route) => route switch
    {
        Route.Tunnel => "tunnel over ssh",
        Route.Public => "discovery + relay (original design)",
        _ => "direct TCP (floor)",
    };

    private static string Render(Dictionary<Route, Measured> results, Dictionary<Route, string> notMeasured, int trials)
    {
        var routes = new[] { Route.Tunnel, Route.Public, Route.Direct };
        string Cell(Route route, Func<Measured, string> value) => results.TryGetValue(route, out var m) ? value(m) : "–";
        string Row(string label, Func<Measured, string> value) => $"| {label} | {string.Join(" | ", routes.Select(r => Cell(r, value)))} |";
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"| {Delay.TotalMilliseconds:0} ms each way, n={trials} per direction | {string.Join(" | ", routes.Select(r => $"({Key(r)}) {Name(r)}"))} |")
            .AppendLine("|---|---:|---:|---:|")
            .AppendLine(Row("pair -> first file on the laptop", m => Summary.Ms(m.FirstSyncMs)))
            .AppendLine(Row("P1 devbox -> laptop, median", m => Summary.Ms(m.ToLaptop.Median)))
            .AppendLine(Row("P1 devbox -> laptop, p95", m => Summary.Ms(m.ToLaptop.P95)))
            .AppendLine(Row("P1 laptop -> devbox, median", m => Summary.Ms(m.ToDevbox.Median)))
            .AppendLine(Row("P1 laptop -> devbox, p95", m => Summary.Ms(m.ToDevbox.P95)))
            .AppendLine(Row($"{BigFileMb} MB devbox -> laptop", m => $"{Summary.Ms(m.BigFileMs)} ({BigFileMb * 1000 / m.BigFileMs:0.0} MB/s)"));
        foreach (var (route, why) in notMeasured)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"\n({Key(route)}) not measured: {why}.");
        }

        if (results.TryGetValue(Route.Tunnel, out var tunnel) && results.TryGetValue(Route.Direct, out var floor))
        {
            var gap = Math.Max(tunnel.ToLaptop.Median - floor.ToLaptop.Median, tunnel.ToDevbox.Median - floor.ToDevbox.Median);
            var share = floor.BigFileMs / tunnel.BigFileMs;
            table.AppendLine(CultureInfo.InvariantCulture, $"\nGoal: tunnel P1 median within 30 ms of the floor's: {gap:0} ms ({(gap <= 30 ? "met" : "missed")}); throughput at least 80 % of the floor's: {share:P0} ({(share >= 0.8 ? "met" : "missed")}).");
        }

        return table.ToString();
    }
}
