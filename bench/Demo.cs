using System.Diagnostics;
using Thopter.Bench.Rig;
using Thopter.Bench.Workloads;
using Thopter.Tests.Harness.ReleaseMirror;

namespace Thopter.Bench;

/// <summary>
/// scripts/demo.sh: a laptop SyncThing (temporary, loopback only) and one devbox container; `thopter sync init` and
/// `thopter sync pair` with a temporary HOME, then one file written on each side and how long it took to arrive.
/// Everything it starts is removed when it ends, fails or is interrupted.
/// </summary>
public sealed class Demo(TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var cli = ThopterCli.CreateWithTemporaryHome();
        try
        {
            await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
            await using var laptop = await LaptopNode.StartAsync(ct, cli.FolderPath);
            Say($"laptop   SyncThing {laptop.DeviceId.Short} on 127.0.0.1 (temporary home, loopback only, no discovery or relays)");
            await using var devbox = await DevboxNode.StartAsync(mirror, install: true, ct);
            Say($"devbox   container {devbox.Name}: systemd, thopter-agent, SyncThing installed (as in a golden image)");

            await cli.InitAsync(laptop, ct);
            Say($"init     thopter sync init: ~/{DevboxNode.Folder} registered, thopter daemon started (HOME={cli.Home})");

            var clock = Stopwatch.StartNew();
            await cli.PairAsync(laptop, devbox, ct);
            Say($"pair     thopter sync pair {devbox.Name}: connected and in sync in {clock.ElapsedMilliseconds} ms");

            await devbox.ConnectAsync(ct);
            await Pairing.WaitInSyncAsync(laptop, devbox, TimeSpan.FromSeconds(30), ct);
            Say("accel    change-triggered scans: the devbox's thopter-accelerator.service, and the laptop's thopter daemon");
            var latency = new WriteLatency(laptop, devbox);
            var up = await latency.DevboxToLaptopAsync("hello-from-devbox.txt", ct);
            Say($"✓ devbox -> laptop  hello-from-devbox.txt arrived in {up:0} ms");
            var down = await latency.LaptopToDevboxAsync("hello-from-laptop.txt", ct);
            Say($"✓ laptop -> devbox  hello-from-laptop.txt arrived in {down:0} ms");
            return 0;
        }
        finally
        {
            Say("cleaned up: devbox removed, laptop SyncThing and thopter daemon stopped, temporary HOME deleted");
        }
    }

    private void Say(string line) => output.WriteLine(line);
}
