using System.Diagnostics;
using Thopter.Bench.Rig;
using Thopter.Bench.Workloads;
using Thopter.Tests.Harness.ReleaseMirror;

namespace Thopter.Bench;

/// <summary>
/// scripts/demo.sh: a laptop SyncThing (temporary, loopback only) and one devbox container; `thopter sync init` with a
/// temporary HOME, pairing, then one file written on each side and how long it took to arrive. Everything it starts is
/// removed when it ends, fails or is interrupted.
/// </summary>
public sealed class Demo(string repoRoot, TextWriter output)
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(2);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var home = Directory.CreateTempSubdirectory("thopter-demo-home-").FullName;
        try
        {
            await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
            await using var laptop = await LaptopNode.StartAsync(ct, Path.Combine(home, DevboxNode.Folder));
            Say($"laptop   SyncThing {laptop.DeviceId.Short} on 127.0.0.1 (temporary home, loopback only, no discovery or relays)");
            await using var devbox = await DevboxNode.StartAsync(mirror, install: true, ct);
            Say($"devbox   container {devbox.Name} with systemd and thopter-agent (SyncThing installed as in a golden image)");

            var init = await ThopterAsync(home, ["sync", "init", "--folder", DevboxNode.Folder, "--syncthing-home", laptop.Syncthing.HomeDir], ct);
            Say($"init     thopter sync init: ~/{DevboxNode.Folder} registered ({init:0} ms, HOME={home})");

            var clock = Stopwatch.StartNew();
            await Pairing.PairAsync(laptop, devbox, ct);
            await Pairing.WaitInSyncAsync(laptop, devbox, SyncTimeout, ct);
            Say($"pair     {devbox.Name} paired and in sync in {clock.ElapsedMilliseconds} ms");

            await using var accelerators = new AcceleratorSet();
            await accelerators.AddAsync(laptop.FolderPath, laptop.Rest);
            await accelerators.AddAsync(devbox.HostFolderPath, devbox.Rest);
            var latency = new WriteLatency(laptop, devbox);
            var up = await latency.DevboxToLaptopAsync("hello-from-devbox.txt", ct);
            Say($"✓ devbox -> laptop  hello-from-devbox.txt arrived in {up:0} ms");
            var down = await latency.LaptopToDevboxAsync("hello-from-laptop.txt", ct);
            Say($"✓ laptop -> devbox  hello-from-laptop.txt arrived in {down:0} ms");
            return 0;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
            Say("cleaned up: devbox removed, laptop SyncThing stopped, temporary HOME deleted");
        }
    }

    private void Say(string line) => output.WriteLine(line);

    /// <summary>Runs the real thopter CLI (built next to the bench) with HOME pointed at the demo's temporary home.</summary>
    private async Task<double> ThopterAsync(string home, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repoRoot };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "thopter.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = home;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0
            ? clock.Elapsed.TotalMilliseconds
            : throw new InvalidOperationException($"thopter {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
