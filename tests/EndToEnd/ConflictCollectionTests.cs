using System.Text.Json.Nodes;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Shared.Rest;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// Real conflicts between the laptop's real SyncThing and a real devbox (container, real AOT agent, SyncThing from the
/// mirror): the laptop pauses the devbox through SyncThing's REST API, both sides edit one file, the laptop resumes it.
/// The daemon (started by `init`) collects the conflict copy out of both trees into the store and says so on its
/// event stream; `status` counts it; `resolve` settles it from the store and the result syncs to the devbox.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConflictCollectionTests(ITestOutputHelper output)
{
    private const string File1 = "notes.txt";

    [Fact]
    public async Task Conflicts_leave_both_trees_for_the_store_and_resolve_from_it_onto_the_devbox()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await world.StartDevboxAsync("box1");
        var pair = await world.CliAsync(box.PairArguments());
        Assert.True(pair.ExitCode == 0, pair.ToString());
        var deviceId = (string)(await world.CliJsonAsync("sync", "list"))["devboxes"]!.AsArray().Single()!["deviceId"]!;
        using var rest = world.Rest();
        var store = ConflictStore.ForHome(world.Home);
        await using var events = new DaemonEventRecorder(world.Home);

        await File.WriteAllTextAsync(Path.Combine(world.LaptopFolder, File1), "base\n");
        await Eventually.TrueAsync("notes.txt on the devbox", async () => await box.ReadAsync(File1) == "base\n", seconds: 60);

        // Round 1: the devbox edits last and wins; the laptop moves its own version aside.
        output.WriteLine($"round 1 resumes around {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        var took = await ConflictAsync(world, rest, box, deviceId, laptop: "laptop's version\n", devbox: "box1's version\n", devboxLast: true);
        var first = Assert.Single(store.Open(EndToEndWorld.Folder));
        Report("devbox won, copy made on the laptop", took, events);
        Assert.Equal(("laptop", "box1"), (first.Aside.Devbox, first.Current.Devbox));
        Assert.Equal("laptop's version\n", await File.ReadAllTextAsync(store.PathOf(first)));
        Assert.Equal(EndToEndWorld.Sha256(store.PathOf(first)), first.Aside.Sha256);
        Assert.Equal(EndToEndWorld.Sha256(Path.Combine(world.LaptopFolder, File1)), first.Current.Sha256);
        Assert.Equal("box1's version\n", await File.ReadAllTextAsync(Path.Combine(world.LaptopFolder, File1)));
        await Eventually.TrueAsync("the event stream to carry the collection", () => events.Collected("box1"), seconds: 10);
        var status = await world.CliJsonAsync("sync", "status");
        Assert.Equal(1, (int)status["openConflicts"]!);
        Assert.Equal(1, (int)status["devboxes"]![0]!["openConflicts"]!);

        var aside = await world.CliJsonAsync("sync", "conflicts", "resolve", File1, "--keep", "aside");
        Assert.Equal("aside", (string)aside["resolved"]!["keep"]!);
        Assert.Equal("laptop's version\n", await File.ReadAllTextAsync(Path.Combine(world.LaptopFolder, File1)));
        Assert.Equal("box1's version\n", await File.ReadAllTextAsync((string)aside["replacedStoredAt"]!));
        await Eventually.TrueAsync("the kept version on the devbox", async () => await box.ReadAsync(File1) == "laptop's version\n", seconds: 30);
        Assert.Empty(store.Open(EndToEndWorld.Folder));

        // Round 2: the laptop edits last and wins; the devbox makes the copy, which arrives here and is collected.
        events.Clear();

        output.WriteLine($"round 2 resumes around {DateTimeOffset.UtcNow.AddSeconds(4):HH:mm:ss.fff}");
        took = await ConflictAsync(world, rest, box, deviceId, laptop: "laptop's second\n", devbox: "box1's second\n", devboxLast: false);
        var second = Assert.Single(store.Open(EndToEndWorld.Folder));
        Report("laptop won, copy made on the devbox", took, events);
        Assert.Equal(("box1", "laptop"), (second.Aside.Devbox, second.Current.Devbox));
        Assert.Equal("box1's second\n", await File.ReadAllTextAsync(store.PathOf(second)));
        await Eventually.TrueAsync("the event stream to carry the second collection", () => events.Collected("box1"), seconds: 10);

        var both = await world.CliJsonAsync("sync", "conflicts", "resolve", File1, "--keep", "both");
        Assert.Equal("notes.from-box1.txt", (string)both["resolved"]!["restoredAs"]!);
        await Eventually.TrueAsync("both versions on the devbox", async () =>
            await box.ReadAsync(File1) == "laptop's second\n" && await box.ReadAsync("notes.from-box1.txt") == "box1's second\n", seconds: 30);
        Assert.Equal("laptop's second\n", await File.ReadAllTextAsync(Path.Combine(world.LaptopFolder, File1)));

        // Nothing leaves the store but by purge, and purge takes only what is old enough.
        Assert.Equal(3, store.List(EndToEndWorld.Folder).Count);
        Assert.Empty((await world.CliJsonAsync("sync", "conflicts", "purge", "--older-than", "1"))["purged"]!.AsArray());
        Assert.Equal(3, store.List(EndToEndWorld.Folder).Count);
        var later = await Laptop.CliRun.RunAsync(world.Environment with { Time = new Later(TimeSpan.FromDays(2)) }, "sync", "conflicts", "purge", "--older-than", "1", "--json");
        Assert.True(later.ExitCode == 0, later.ToString());
        Assert.Equal(3, JsonNode.Parse(later.Output)!["purged"]!.AsArray().Count);
        Assert.Empty(store.List());
    }

    private void Report(string what, (TimeSpan Connected, TimeSpan Collected, TimeSpan GoneEverywhere) took, DaemonEventRecorder events)
    {
        output.WriteLine($"MEASURE conflict ({what}): devbox resumed -> connected {took.Connected.TotalMilliseconds:0} ms, copy collected from the laptop's tree {took.Collected.TotalMilliseconds:0} ms " +
            $"({(took.Collected - took.Connected).TotalMilliseconds:0} ms after connecting), gone from the devbox's tree {took.GoneEverywhere.TotalMilliseconds:0} ms");
        foreach (var line in events.Describe())
        {
            output.WriteLine("  " + line);
        }
    }

    /// <summary>
    /// Pauses the devbox on the laptop, edits <see cref="File1"/> on both sides (the later edit wins), resumes it, and
    /// waits until the copy is in the store and in no tree; returns how long after resuming each took.
    /// </summary>
    private static async Task<(TimeSpan Connected, TimeSpan Collected, TimeSpan GoneEverywhere)> ConflictAsync(
        EndToEndWorld world, SyncthingRestClient rest, TestDevbox box, string deviceId, string laptop, string devbox, bool devboxLast)
    {
        var store = ConflictStore.ForHome(world.Home);
        var open = store.Open(EndToEndWorld.Folder).Count;
        async Task EditLaptopAsync()
        {
            await File.WriteAllTextAsync(Path.Combine(world.LaptopFolder, File1), laptop);
            await PausedEdits.IndexedAsync(rest, EndToEndWorld.Folder, File1, laptop.Length);
        }

        async Task EditDevboxAsync() => await box.WriteAsync(File1, devbox);

        var (clock, connected) = devboxLast
            ? await PausedEdits.EditApartAsync(rest, deviceId, EditLaptopAsync, EditDevboxAsync)
            : await PausedEdits.EditApartAsync(rest, deviceId, EditDevboxAsync, EditLaptopAsync);
        await Eventually.TrueAsync("the conflict copy collected from the laptop's tree", () =>
            store.Open(EndToEndWorld.Folder).Count == open + 1 && ConflictTrees.CopiesIn(world.LaptopFolder).Count == 0, seconds: 90);
        var collected = clock.Elapsed;
        await Eventually.TrueAsync("no conflict copy in the devbox's tree", async () => !await ConflictTrees.DevboxHasCopiesAsync(box), seconds: 60,
            describe: async () => (await box.Devbox.ExecAsync("dev", "find", TestDevbox.FolderPath)).StandardOutput);
        return (connected, collected, clock.Elapsed);
    }

    private sealed class Later(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + by;
    }
}
