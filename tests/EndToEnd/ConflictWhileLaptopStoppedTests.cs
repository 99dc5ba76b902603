using System.Diagnostics;
using System.Text.Json.Nodes;
using Thopter.Laptop.Conflicts.Store;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// Issue 16's must-show, with every part real: the laptop's SyncThing and two devboxes (A and B: containers with systemd,
/// the AOT agent, SyncThing from the mirror) share a folder. While the laptop's SyncThing is stopped (its process shut
/// down, not a paused device), the laptop and devbox A edit the same file; the laptop's SyncThing is started again. Then
/// no tree (laptop, A, B) holds a conflict copy, the store holds the losing version byte for byte, every tree holds the
/// winner, `status --json` counts the conflict and the daemon's event stream says CONFLICT_COLLECTED. Each `--keep`
/// choice is checked byte for byte on all three trees and in the store. The times are measured from the start of the
/// laptop's SyncThing and from the moment both devboxes are connected again, and printed (MEASURE lines).
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConflictWhileLaptopStoppedTests(TwoDevboxesFixture fixture, ITestOutputHelper output) : IClassFixture<TwoDevboxesFixture>
{
    private EndToEndWorld World => fixture.World;

    private TestDevbox A => fixture.Boxes[0];

    private TestDevbox B => fixture.Boxes[1];

    private ConflictStore Store => ConflictStore.ForHome(World.Home);

    [Fact]
    public async Task A_conflict_made_while_the_laptop_SyncThing_was_stopped_leaves_every_tree_for_the_store_and_each_keep_choice_keeps_every_byte()
    {
        const string file = "report.bin";
        await using var events = new DaemonEventRecorder(World.Home);
        await BaseAsync(file);

        // keep current: A's edit is newer and wins; the laptop's version is set aside.
        var (laptop, devbox) = (Bytes(1), Bytes(2));
        var record = await ConflictAsync(file, laptop, devbox, devboxWins: true, events);
        var current = await World.CliJsonAsync("sync", "conflicts", "resolve", file, "--keep", "current");
        Assert.Equal("current", (string)current["resolved"]!["keep"]!);
        await AllTreesHoldAsync(file, devbox);
        Assert.Equal(laptop, File.ReadAllBytes(Store.PathOf(record)));

        // keep aside: the laptop's edit is newer and wins; A makes the copy, which reaches the laptop and is collected.
        (laptop, devbox) = (Bytes(3), Bytes(4));
        record = await ConflictAsync(file, laptop, devbox, devboxWins: false, events);
        var aside = await World.CliJsonAsync("sync", "conflicts", "resolve", file, "--keep", "aside");
        Assert.Equal("aside", (string)aside["resolved"]!["keep"]!);
        await AllTreesHoldAsync(file, devbox);
        Assert.Equal(devbox, File.ReadAllBytes(Store.PathOf(record)));
        Assert.Equal(laptop, File.ReadAllBytes((string)aside["replacedStoredAt"]!));

        // keep both: A wins again; the laptop's version comes back beside it, named for whose it is.
        (laptop, devbox) = (Bytes(5), Bytes(6));
        record = await ConflictAsync(file, laptop, devbox, devboxWins: true, events);
        var both = await World.CliJsonAsync("sync", "conflicts", "resolve", file, "--keep", "both");
        Assert.Equal("report.from-laptop.bin", (string)both["resolved"]!["restoredAs"]!);
        await AllTreesHoldAsync(file, devbox);
        await AllTreesHoldAsync("report.from-laptop.bin", laptop);
        Assert.Equal(laptop, File.ReadAllBytes(Store.PathOf(record)));

        Assert.DoesNotContain(Store.Open(EndToEndWorld.Folder), r => r.Original == file);
        Assert.Equal(0, OpenConflictsOf(await World.CliJsonAsync("sync", "status"), A.Name));
    }

    [Fact]
    public async Task Three_conflicts_in_a_row_on_one_path_keep_all_three_losing_versions_in_the_store()
    {
        const string file = "three.bin";
        await using var events = new DaemonEventRecorder(World.Home);
        await BaseAsync(file);

        // The winner alternates (A, the laptop, A), so both directions a copy can travel are timed in every run.
        var losers = new List<byte[]>();
        for (var round = 0; round < 3; round++)
        {
            var (laptop, devbox) = (Bytes(10 + round), Bytes(20 + round));
            var devboxWins = round != 1;
            await ConflictAsync(file, laptop, devbox, devboxWins, events);
            losers.Add(devboxWins ? laptop : devbox);
        }

        var open = Store.Open(EndToEndWorld.Folder).Where(r => r.Original == file).ToList();
        Assert.Equal(3, open.Count);
        Assert.Equal(3, open.Select(r => r.Stored).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(losers.Select(Convert.ToHexString).Order(StringComparer.Ordinal), open.Select(r => Convert.ToHexString(File.ReadAllBytes(Store.PathOf(r)))).Order(StringComparer.Ordinal));

        // With three open on one path, each is named by its copy; keeping the current version settles all three.
        foreach (var record in open)
        {
            await World.CliJsonAsync("sync", "conflicts", "resolve", record.Copy, "--keep", "current");
        }

        Assert.DoesNotContain(Store.Open(EndToEndWorld.Folder), r => r.Original == file);
        Assert.Equal(3, Store.List(EndToEndWorld.Folder).Count(r => r.Original == file));
    }

    /// <summary>
    /// A and B edit one file while their hub, the laptop's SyncThing, is stopped: the conflict is theirs. Whoever moves the
    /// loser aside (the laptop, when A's version reached it first; A, when B's did), the record names A's version as the
    /// one set aside and B's (newer, the winner) as the one in the folder, never the laptop.
    /// </summary>
    [Fact]
    public async Task A_conflict_between_two_devboxes_names_the_devbox_whose_version_lost()
    {
        const string file = "between.bin";
        await BaseAsync(file);
        var before = Store.List(EndToEndWorld.Folder).Select(r => r.Stored).ToHashSet(StringComparer.Ordinal);
        var (lost, won) = (Bytes(30), Bytes(31));
        await World.StopLaptopAsync();
        try
        {
            await ConflictTrees.WriteBytesAsync(A, file, lost, DateTime.UtcNow.AddMinutes(-5));
            await ConflictTrees.WriteBytesAsync(B, file, won);
            await Task.Delay(1000);
        }
        finally
        {
            await World.StartLaptopAsync();
        }

        try
        {
            await Eventually.TrueAsync("no conflict copy in any tree, A's version in the store, B's everywhere", () => SettledAsync(file, won, before), seconds: 60);
            var record = Assert.Single(Store.Open(EndToEndWorld.Folder), r => r.Original == file && !before.Contains(r.Stored));
            Assert.Equal(lost, File.ReadAllBytes(Store.PathOf(record)));
            Assert.Equal((A.Name, B.Name), (record.Aside.Devbox, record.Current.Devbox));

            // The conflict was A's and B's: `status` counts it for each.
            var status = await World.CliJsonAsync("sync", "status");
            Assert.Equal((OpenOf(A.Name), OpenOf(B.Name)), (OpenConflictsOf(status, A.Name), OpenConflictsOf(status, B.Name)));
            Assert.True(OpenOf(B.Name) >= 1);
        }
        finally
        {
            // Settled either way, so that the other tests' counts per devbox start from none.
            foreach (var open in Store.Open(EndToEndWorld.Folder).Where(r => r.Original == file))
            {
                await World.CliAsync("sync", "conflicts", "resolve", open.Copy, "--keep", "current");
            }
        }

        await AllTreesHoldAsync(file, won);
    }

    /// <summary>
    /// Stops the laptop's SyncThing, writes the laptop's and A's versions (the winner's newer by five minutes), starts
    /// it, and waits until every tree is clean and holds the winner; checks the store, `status` and the event stream.
    /// </summary>
    private async Task<ConflictRecord> ConflictAsync(string file, byte[] laptop, byte[] devbox, bool devboxWins, DaemonEventRecorder events)
    {
        var before = Store.List(EndToEndWorld.Folder).Select(r => r.Stored).ToHashSet(StringComparer.Ordinal);
        events.Clear();
        var ids = await Task.WhenAll(fixture.Boxes.Select(DeviceIdAsync));
        var older = DateTime.UtcNow.AddMinutes(-5);
        var timeline = await ConflictTimeline.BeginAsync(fixture.Boxes);
        var clock = new Stopwatch();
        var launched = DateTimeOffset.UtcNow;
        await World.StopLaptopAsync();
        try
        {
            var path = Path.Combine(World.LaptopFolder, file);
            File.WriteAllBytes(path, laptop);
            File.SetLastWriteTimeUtc(path, devboxWins ? older : DateTime.UtcNow);
            await ConflictTrees.WriteBytesAsync(A, file, devbox, devboxWins ? null : older);

            // A's accelerator has A's edit indexed within milliseconds; give it a generous moment.
            await Task.Delay(1000);
        }
        finally
        {
            launched = DateTimeOffset.UtcNow;
            clock.Start();
            await World.StartLaptopAsync();
        }

        var (winner, loser) = devboxWins ? (devbox, laptop) : (laptop, devbox);
        var connected = await UntilAsync(clock, "both devboxes connected to the laptop's SyncThing again", () => ConnectedAsync(ids), TimeSpan.FromSeconds(120));
        var settled = await UntilAsync(clock, "no conflict copy in any tree, the loser in the store, the winner everywhere", () => SettledAsync(file, winner, before), TimeSpan.FromSeconds(120),
            async () => $"laptop: {string.Join(", ", ConflictTrees.CopiesIn(World.LaptopFolder))}; {A.Name}: {string.Join(", ", await ConflictTrees.MatchesInAsync(A))}; " +
                $"{B.Name}: {string.Join(", ", await ConflictTrees.MatchesInAsync(B))}; stored: {string.Join(", ", Store.List(EndToEndWorld.Folder).Select(r => r.Stored))}");
        output.WriteLine($"MEASURE conflict ({(devboxWins ? A.Name : "laptop")} won): laptop SyncThing started -> both devboxes connected {connected.TotalMilliseconds:0} ms, " +
            $"-> no copy in any tree, store and trees right {settled.TotalMilliseconds:0} ms ({(settled - connected).TotalMilliseconds:0} ms after both connected)");

        foreach (var line in await timeline.DescribeAsync(World, launched, file, events))
        {
            output.WriteLine("  TIMELINE " + line);
        }

        var record = Assert.Single(Store.Open(EndToEndWorld.Folder), r => r.Original == file && !before.Contains(r.Stored));
        Assert.Equal(loser, File.ReadAllBytes(Store.PathOf(record)));
        Assert.Equal(devboxWins ? ("laptop", A.Name) : (A.Name, "laptop"), (record.Aside.Devbox, record.Current.Devbox));
        Assert.Equal(EndToEndWorld.Sha256(Store.PathOf(record)), record.Aside.Sha256);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(winner)), record.Current.Sha256);

        var status = await World.CliJsonAsync("sync", "status");
        Assert.Equal(Store.Open(EndToEndWorld.Folder).Count, (int)status["openConflicts"]!);
        Assert.Equal(OpenOf(A.Name), OpenConflictsOf(status, A.Name));
        Assert.Equal(0, OpenConflictsOf(status, B.Name));
        await Eventually.TrueAsync($"CONFLICT_COLLECTED for {A.Name} on the daemon's event stream", () => events.Collected(A.Name), seconds: 10);
        foreach (var line in events.Describe())
        {
            output.WriteLine("  " + line);
        }

        return record;
    }

    private async Task BaseAsync(string file)
    {
        var bytes = Bytes(0);
        File.WriteAllBytes(Path.Combine(World.LaptopFolder, file), bytes);
        await AllTreesHoldAsync(file, bytes);
    }

    /// <summary>Every tree holds <paramref name="bytes"/> at <paramref name="file"/> and no conflict copy (the devboxes eventually).</summary>
    private async Task AllTreesHoldAsync(string file, byte[] bytes)
    {
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(World.LaptopFolder, file)));
        await Eventually.TrueAsync($"{file} byte for byte on {A.Name} and {B.Name}, no conflict copy anywhere", async () =>
            ConflictTrees.CopiesIn(World.LaptopFolder).Count == 0
            && await HoldsAsync(A, file, bytes) && await HoldsAsync(B, file, bytes)
            && (await ConflictTrees.MatchesInAsync(A)).Count == 0 && (await ConflictTrees.MatchesInAsync(B)).Count == 0, seconds: 60);
    }

    private async Task<bool> SettledAsync(string file, byte[] winner, HashSet<string> before) =>
        Store.Open(EndToEndWorld.Folder).Any(r => r.Original == file && !before.Contains(r.Stored))
        && ConflictTrees.CopiesIn(World.LaptopFolder).Count == 0
        && File.ReadAllBytes(Path.Combine(World.LaptopFolder, file)).AsSpan().SequenceEqual(winner)
        // Both devboxes at once: each look is a `docker exec`, and the poll's own time is part of what is measured.
        && (await Task.WhenAll(DevboxSettledAsync(A, file, winner), DevboxSettledAsync(B, file, winner))).All(settled => settled);

    private static async Task<bool> DevboxSettledAsync(TestDevbox box, string file, byte[] winner)
    {
        var (copies, holds) = (ConflictTrees.MatchesInAsync(box), HoldsAsync(box, file, winner));
        return (await copies).Count == 0 && await holds;
    }

    private async Task<bool> ConnectedAsync(string[] deviceIds)
    {
        try
        {
            using var rest = World.Rest();
            var connections = await rest.GetConnectionsAsync();
            return deviceIds.All(id => connections.TryGetValue(id, out var c) && c.Connected);
        }
        catch (Exception error) when (error is HttpRequestException or Thopter.Shared.Rest.SyncthingApiException)
        {
            return false;
        }
    }

    private static async Task<bool> HoldsAsync(TestDevbox box, string file, byte[] bytes) =>
        await ConflictTrees.ReadBytesAsync(box, file) is { } held && held.AsSpan().SequenceEqual(bytes);

    /// <summary>Polls every 50 ms (a poll of the trees reads both devboxes, ~100 ms) and returns <paramref name="clock"/> once true.</summary>
    private static async Task<TimeSpan> UntilAsync(Stopwatch clock, string what, Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>>? describe = null)
    {
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s{(describe is null ? string.Empty : "; " + await describe())}");
            }

            await Task.Delay(50);
        }

        return clock.Elapsed;
    }

    private async Task<string> DeviceIdAsync(TestDevbox box) => (string)(await World.CliJsonAsync("sync", "device-id", box.Name))["deviceId"]!;

    private int OpenOf(string devbox) =>
        Store.Open(EndToEndWorld.Folder).Count(r => r.Aside.Devbox == devbox || r.Current.Devbox == devbox);

    private static int OpenConflictsOf(JsonNode status, string devbox) =>
        (int)((JsonArray)status["devboxes"]!).Single(row => (string)row!["name"]! == devbox)!["openConflicts"]!;

    /// <summary>40 KiB of bytes of every value (NUL, newlines, invalid UTF-8), different for each seed.</summary>
    private static byte[] Bytes(int seed)
    {
        var bytes = new byte[40 * 1024 + seed];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
