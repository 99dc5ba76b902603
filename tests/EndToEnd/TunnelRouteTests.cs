using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Docker;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// The tunnel route, all real: a devbox container with no network at all (`--network none`), paired through
/// `docker exec -i -u dev CONTAINER` alone. Its SyncThing cannot come from the release mirror (nothing reaches the
/// devbox), so the laptop's own SyncThing binary is copied in (`docker cp` needs no network) and named with
/// --syncthing-binary. Files travel both ways through the daemon's 127.0.0.1 listener; the tunnel's transport process
/// killed, and the container stopped and started, each end with sync resuming.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TunnelRouteTests(ITestOutputHelper output)
{
    private const string DevboxSyncthing = "/home/dev/syncthing-binary";

    [Fact]
    public async Task A_devbox_without_network_syncs_through_docker_exec_and_resumes_after_a_killed_tunnel_and_a_restart()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var devbox = await Devbox.StartAsync(new DevboxOptions().WithoutNetwork());
        world.Adopt(devbox);
        await devbox.CopyInAsync(SyncthingBinary.Default.EnsureInstalled(), DevboxSyncthing, owner: "dev");
        var box = new TestDevbox("box1", devbox, world);

        var paired = await world.CliJsonAsync(
            "sync", "pair", "box1", "--transport", $"docker exec -i -u dev {devbox.Name}", "--timeout", "180",
            "--agent-arg=--syncthing-binary", $"--agent-arg={DevboxSyncthing}");
        Assert.Equal("tunnel", paired["route"]!.GetValue<string>());
        var port = paired["tunnelPort"]!.GetValue<int>();
        Assert.Equal($"tcp://127.0.0.1:{port}", Assert.Single(paired["addresses"]!.AsArray())!.GetValue<string>());

        // What `ss -ltn` shows, read where ss reads it: every listening TCP socket in the devbox is on loopback.
        var listening = await ListeningAsync(devbox);
        Assert.Contains("127.0.0.1:22000", listening);
        Assert.All(listening, address => Assert.True(address.StartsWith("127.", StringComparison.Ordinal) || address.StartsWith("[::1]", StringComparison.Ordinal), $"{address} listens beyond loopback: {string.Join(", ", listening)}"));

        await AssertBothWaysAsync(world, box, "first");
        await MeasureP1Async(world, box);
        output.WriteLine($"MEASURE opening a tunnel through `docker exec -i` (transport start + agent connect + close, 7 runs): median {await TunnelOpenCost.MedianMsAsync(["docker", "exec", "-i", "-u", "dev", devbox.Name]):0} ms");

        var status = await world.CliJsonAsync("sync", "status");
        var row = status["devboxes"]!.AsArray().Single(d => d!["name"]!.GetValue<string>() == "box1")!;
        Assert.Equal("tunnel", row["route"]!.GetValue<string>());
        Assert.Equal(port, row["tunnelPort"]!.GetValue<int>());
        Assert.True(row["openTunnels"]!.GetValue<int>() >= 1, row.ToJsonString());

        // The transport of every open tunnel killed: SyncThing dials again and a new tunnel carries the next change.
        var killed = TunnelTransports.Of(devbox.Name);
        Assert.NotEmpty(killed);
        var clock = Stopwatch.StartNew();
        foreach (var pid in killed)
        {
            Process.GetProcessById(pid).Kill();
        }

        await AssertBothWaysAsync(world, box, "after-kill");
        output.WriteLine($"MEASURE sync resumed {clock.Elapsed.TotalSeconds:0.0} s after the tunnel's transport was killed ({killed.Count} processes)");
        // Issue 14's goal is 5 s; the bound is generous for a loaded machine (each docker exec ~1 s) but well below the
        // 60 s SyncThing waits to redial an address it dialled within the last minute (26-52 s before the daemon's
        // prompt used more than two spellings of the address).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}\n{world.Laptop.Describe("laptop syncthing")}");

        // Stopped (SyncThing's own immediate redial fails meanwhile) and started again.
        await devbox.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await devbox.StartAgainAsync();
        var booted = Stopwatch.StartNew();
        await Eventually.TrueAsync("the devbox's SyncThing to answer again", async () => (await devbox.ExecAsync("dev", "thopter-agent", "status")).Succeeded, seconds: 120);
        var syncthingUp = booted.Elapsed;
        clock.Restart();
        await AssertBothWaysAsync(world, box, "after-restart");
        output.WriteLine($"MEASURE after a stop+start: devbox ready -> its SyncThing answering {syncthingUp.TotalSeconds:0.0} s; then sync both ways within {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    private static async Task AssertBothWaysAsync(EndToEndWorld world, TestDevbox box, string tag)
    {
        await File.WriteAllTextAsync(Path.Combine(world.LaptopFolder, $"laptop-{tag}.txt"), $"from the laptop ({tag})");
        await box.WriteAsync($"devbox-{tag}.txt", $"from the devbox ({tag})");
        await Eventually.TrueAsync($"laptop-{tag}.txt on the devbox", async () => await box.ReadAsync($"laptop-{tag}.txt") == $"from the laptop ({tag})", seconds: 120);
        var back = Path.Combine(world.LaptopFolder, $"devbox-{tag}.txt");
        await Eventually.TrueAsync($"devbox-{tag}.txt on the laptop", () => File.Exists(back) && File.ReadAllText(back) == $"from the devbox ({tag})", seconds: 120);
    }

    /// <summary>
    /// P1 through the tunnel, both ways, timed by one clock (a container shares the host kernel's): the writer records
    /// when it wrote, and a loop on the reading side (5 ms polls, a shell loop inside the devbox) records when the file
    /// was there. The docker exec calls that start and read those loops are outside the timed span.
    /// </summary>
    private async Task MeasureP1Async(EndToEndWorld world, TestDevbox box)
    {
        const int Trials = 15;
        var seenFile = "/home/dev/p1-seen.txt";
        (await box.Devbox.ExecAsync("dev", ["sh", "-c", $"rm -f {seenFile}; (for i in $(seq 0 {Trials - 1}); do while [ ! -s {TestDevbox.FolderPath}/p1-up-$i.txt ]; do sleep 0.005; done; date +%s%N >> {seenFile}; done) >/dev/null 2>&1 &"])).EnsureSuccess();
        var written = new List<long>();
        for (var i = 0; i < Trials; i++)
        {
            written.Add(UnixNanoseconds());
            await File.WriteAllTextAsync(Path.Combine(world.LaptopFolder, $"p1-up-{i}.txt"), $"p1 {i}");
            var count = i + 1;
            await Eventually.TrueAsync($"p1-up-{i}.txt seen on the devbox", async () => (await box.Devbox.ExecAsync("dev", "sh", "-c", $"[ $(wc -l < {seenFile} 2>/dev/null || echo 0) -ge {count} ]")).Succeeded, seconds: 60);
        }

        var seen = (await box.Devbox.ReadFileAsync(seenFile)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l, CultureInfo.InvariantCulture)).ToList();
        var toDevbox = written.Zip(seen, (w, r) => (r - w) / 1e6).ToList();

        var toLaptop = new List<double>();
        for (var i = 0; i < Trials; i++)
        {
            var path = Path.Combine(world.LaptopFolder, $"p1-down-{i}.txt");
            (await box.Devbox.ExecAsync("dev", ["sh", "-c", $"date +%s%N > {TestDevbox.FolderPath}/.p1.tmp && mv {TestDevbox.FolderPath}/.p1.tmp {TestDevbox.FolderPath}/p1-down-{i}.txt"])).EnsureSuccess();
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(path) || new FileInfo(path).Length == 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"p1-down-{i}.txt never reached the laptop");
                await Task.Delay(1);
            }

            var arrived = UnixNanoseconds();
            toLaptop.Add((arrived - long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture)) / 1e6);
        }

        output.WriteLine(Describe("laptop->devbox", toDevbox));
        output.WriteLine(Describe("devbox->laptop", toLaptop));

        static long UnixNanoseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

        static string Describe(string direction, List<double> times)
        {
            var sorted = times.Order().ToList();
            return string.Create(CultureInfo.InvariantCulture, $"MEASURE P1 {direction} through the tunnel (docker exec, {sorted.Count} trials): median {sorted[sorted.Count / 2]:0} ms, p95 {sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1]:0} ms, min {sorted[0]:0} ms, max {sorted[^1]:0} ms");
        }
    }

    private static async Task<List<string>> ListeningAsync(Devbox devbox)
    {
        var tables = (await devbox.ExecAsync("dev", "cat", "/proc/net/tcp", "/proc/net/tcp6")).EnsureSuccess().StandardOutput;
        var listening = new List<string>();
        foreach (var line in tables.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && char.IsDigit(l[0])))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[3] == "0A")
            {
                listening.Add(ProcNetAddress(fields[1]));
            }
        }

        return listening;
    }

    // /proc/net/tcp writes "0100007F:55F0": the address in host (little-endian) order per 32-bit word, then the port in hex.
    private static string ProcNetAddress(string field)
    {
        var (hex, port) = (field.Split(':')[0], int.Parse(field.Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        var address = new System.Net.IPAddress(bytes);
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
