using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// The whole product on one laptop with three devboxes: real laptop SyncThing, real devbox containers with systemd,
/// the real AOT agent installing SyncThing from the local mirror, `thopter` in-process with the docker transport.
/// The devboxes are shared by the tests of this class: only the unpair test touches box3, the others use box1/box2
/// and leave them paired and running.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ThreeDevboxesTests(ThreeDevboxesFixture fixture, ITestOutputHelper output) : IClassFixture<ThreeDevboxesFixture>
{
    private EndToEndWorld World => fixture.World;

    private TestDevbox Box(int n) => fixture.Boxes[n - 1];

    [Fact]
    public async Task Files_flow_both_ways_with_three_devboxes_pairing_twice_keeps_one_entry_and_unpair_stops_one()
    {
        foreach (var line in fixture.Timings)
        {
            output.WriteLine("MEASURE " + line);
        }

        for (var n = 1; n <= 3; n++)
        {
            await Box(n).WriteAsync($"from-box{n}.txt", $"written on box{n}");
        }

        await Eventually.TrueAsync("the three devbox files on the laptop", () =>
            Enumerable.Range(1, 3).All(n => File.Exists(Path.Combine(World.LaptopFolder, $"from-box{n}.txt"))));
        Assert.Equal("written on box2", File.ReadAllText(Path.Combine(World.LaptopFolder, "from-box2.txt")));

        File.WriteAllText(Path.Combine(World.LaptopFolder, "from-laptop.txt"), "laptop edit");
        await Eventually.TrueAsync("the laptop's edit on all three devboxes", async () =>
            (await Task.WhenAll(fixture.Boxes.Select(b => b.ReadAsync("from-laptop.txt")))).All(c => c == "laptop edit"));

        // Pairing again (a warm devbox) changes nothing: one device entry, the same settings file.
        var settingsBefore = File.ReadAllBytes(Path.Combine(World.Home, ".thopter.json"));
        var clock = Stopwatch.StartNew();
        var again = await World.CliJsonAsync(Box(1).PairArguments());
        output.WriteLine($"MEASURE pair box1 again (warm devbox, already paired): {clock.ElapsedMilliseconds} ms");
        Assert.False((bool)again["changed"]!);
        using (var rest = World.Rest())
        {
            var devices = await rest.GetDevicesAsync();
            Assert.Single(devices, d => d.Name == "box1");
            Assert.Equal(4, devices.Count);
        }

        Assert.Equal(settingsBefore, File.ReadAllBytes(Path.Combine(World.Home, ".thopter.json")));

        // Unpair box3: its later writes stop arriving, box1's still do.
        var box3Id = (string)(await World.CliJsonAsync("sync", "device-id", "box3"))["deviceId"]!;
        var unpaired = await World.CliJsonAsync("sync", "unpair", "box3");
        Assert.True((bool)unpaired["removedFromSyncthing"]!);
        using (var rest = World.Rest())
        {
            Assert.DoesNotContain(await rest.GetDevicesAsync(), d => d.DeviceId == box3Id);
            Assert.DoesNotContain((await rest.GetFolderAsync(EndToEndWorld.Folder))!.Devices!, d => d.DeviceId == box3Id);
        }

        Assert.Equal(11, (await World.CliAsync("sync", "device-id", "box3")).ExitCode);
        await Box(3).WriteAsync("after-unpair-3.txt", "must not arrive");
        await Box(1).WriteAsync("after-unpair-1.txt", "arrives");
        await Eventually.TrueAsync("box1's write after the unpair", () => File.Exists(Path.Combine(World.LaptopFolder, "after-unpair-1.txt")));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(File.Exists(Path.Combine(World.LaptopFolder, "after-unpair-3.txt")));
        var secondUnpair = await World.CliAsync("sync", "unpair", "box3");
        Assert.Equal(11, secondUnpair.ExitCode);
    }

    [Fact]
    public async Task Status_reports_connected_and_disconnected_devboxes()
    {
        const string Unit = "thopter-syncthing.service";
        (await Box(2).Devbox.ExecAsync("dev", "systemctl", "--user", "stop", Unit)).EnsureSuccess();
        try
        {
            JsonNode? status = null;
            await Eventually.TrueAsync("status to show box2 disconnected and box1 connected", async () =>
            {
                status = await World.CliJsonAsync("sync", "status");
                return Row(status, "box2")?["connected"]?.GetValue<bool>() == false && Row(status, "box1")?["connected"]?.GetValue<bool>() == true;
            });
            var box1 = Row(status!, "box1")!;
            Assert.False((bool)box1["relayed"]!);
            Assert.StartsWith("127.0.0.1:", (string)box1["address"]!);
            Assert.Equal(100, (double)box1["completion"]!);
            Assert.Null(Row(status!, "box2")!["address"]);
            var human = await World.CliAsync("sync", "status");
            Assert.Contains("yes (direct)", human.Output, StringComparison.Ordinal);
        }
        finally
        {
            (await Box(2).Devbox.ExecAsync("dev", "systemctl", "--user", "start", Unit)).EnsureSuccess();
        }

        await Eventually.TrueAsync("box2 connected again", async () => Row(await World.CliJsonAsync("sync", "status", "box2"), "box2")?["connected"]?.GetValue<bool>() == true);
    }

    [Fact]
    public async Task Hundred_files_written_while_the_laptop_SyncThing_is_stopped_all_arrive_intact()
    {
        await World.StopLaptopAsync();
        try
        {
            (await Box(1).Devbox.ShellAsync("dev", $"mkdir -p {TestDevbox.FolderPath}/batch && for i in $(seq 1 100); do head -c $((1000 + i * 37)) /dev/urandom > {TestDevbox.FolderPath}/batch/f$i.bin; done")).EnsureSuccess();
        }
        finally
        {
            await World.StartLaptopAsync();
        }

        var batch = Path.Combine(World.LaptopFolder, "batch");
        await Eventually.TrueAsync("all 100 files on the laptop", () => Directory.Exists(batch) && Directory.GetFiles(batch, "*.bin").Length == 100 && !Directory.GetFiles(batch, ".syncthing.*").Any(), seconds: 90);
        var remote = (await Box(1).Devbox.ShellAsync("dev", $"cd {TestDevbox.FolderPath}/batch && sha256sum f*.bin")).EnsureSuccess().StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split("  "))
            .ToDictionary(parts => parts[1], parts => parts[0]);
        Assert.Equal(100, remote.Count);
        await Eventually.TrueAsync("every file's checksum equal on both ends", () => remote.All(pair => File.Exists(Path.Combine(batch, pair.Key)) && EndToEndWorld.Sha256(Path.Combine(batch, pair.Key)) == pair.Value), seconds: 30);
    }

    [Fact]
    public async Task Edits_on_both_sides_while_apart_become_a_conflict_that_resolve_settles_without_losing_a_version()
    {
        var laptopFile = Path.Combine(World.LaptopFolder, "notes.txt");
        File.WriteAllText(laptopFile, "base");
        await Eventually.TrueAsync("notes.txt on box1", async () => await Box(1).ReadAsync("notes.txt") == "base");

        await World.StopLaptopAsync();
        try
        {
            File.WriteAllText(laptopFile, "laptop version");
            File.SetLastWriteTimeUtc(laptopFile, DateTime.UtcNow.AddMinutes(-5));
            await Box(1).WriteAsync("notes.txt", "box1 version");
        }
        finally
        {
            await World.StartLaptopAsync();
        }

        JsonArray? conflicts = null;
        await Eventually.TrueAsync("`conflicts` to list notes.txt", async () =>
        {
            conflicts = (JsonArray)(await World.CliJsonAsync("sync", "conflicts"))["conflicts"]!;
            return conflicts.Count == 1;
        }, seconds: 60);
        var conflict = conflicts![0]!;
        Assert.Equal("notes.txt", (string)conflict["path"]!);
        // box1's edit is newer, so it won: the folder holds it, the store the laptop's version, out of every tree.
        Assert.Equal("box1", (string?)conflict["inFolder"]!["devbox"]);
        Assert.Equal("laptop version", File.ReadAllText((string)conflict["storedAt"]!));
        Assert.Equal("box1 version", File.ReadAllText(laptopFile));
        Assert.Empty(Directory.GetFiles(World.LaptopFolder, "*sync-conflict*"));
        var listed = await World.CliAsync("sync", "conflicts");
        Assert.Contains("notes.txt", listed.Output, StringComparison.Ordinal);
        Assert.Contains("box1", listed.Output, StringComparison.Ordinal);

        var resolved = await World.CliJsonAsync("sync", "conflicts", "resolve", "notes.txt", "--keep", "aside");
        Assert.Equal("laptop version", File.ReadAllText(laptopFile));
        Assert.Equal("box1 version", File.ReadAllText((string)resolved["replacedStoredAt"]!));
        Assert.Empty((JsonArray)(await World.CliJsonAsync("sync", "conflicts"))["conflicts"]!);

        await Eventually.TrueAsync("box1 to get the kept version and no conflict copy", async () =>
            await Box(1).ReadAsync("notes.txt") == "laptop version"
            && (await Box(1).Devbox.ShellAsync("dev", $"ls {TestDevbox.FolderPath} | grep -c sync-conflict || true")).StandardOutput.Trim() == "0");
    }

    private static JsonNode? Row(JsonNode status, string name) =>
        ((JsonArray)status["devboxes"]!).FirstOrDefault(row => (string)row!["name"]! == name);
}
