using Xunit;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// Issue 18's must-show with the real parts: the laptop's SyncThing, two systemd devbox containers running the real AOT
/// agent, `thopter` in-process over `docker exec`. One shared folder (~/code everywhere) and one own folder (~/notes on
/// each devbox, ~/notes/DEVBOX on the laptop): each devbox's own files reach the laptop under its own directory and
/// never the other devbox; shared files reach both.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OwnAndSharedFoldersTests : IAsyncLifetime
{
    private const string Own = "notes";
    private const string OwnOnDevbox = "/home/dev/" + Own;
    private EndToEndWorld world = null!;
    private TestDevbox a = null!;
    private TestDevbox b = null!;

    public async Task InitializeAsync()
    {
        world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        await world.CliJsonAsync("sync", "init", "--folder", Own, "--own");
        (a, b) = (await world.StartDevboxAsync("a"), await world.StartDevboxAsync("b"));
        foreach (var box in new[] { a, b })
        {
            var paired = await world.CliAsync(box.PairArguments());
            Assert.True(paired.ExitCode == 0, $"pair {box.Name}: {paired}");
        }
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task Own_files_reach_only_the_laptop_under_the_devbox_shared_files_reach_both_and_laptop_edits_only_their_devbox()
    {
        await a.WriteAsync("from-a.txt", "a's own", OwnOnDevbox);
        await a.WriteAsync("shared-from-a.txt", "shared");
        File.WriteAllText(Path.Combine(world.Home, Own, "b", "for-b.txt"), "only b");

        await Eventually.TrueAsync("a's own file under ~/notes/a on the laptop", () => File.Exists(Path.Combine(world.Home, Own, "a", "from-a.txt")));
        Assert.Equal("a's own", File.ReadAllText(Path.Combine(world.Home, Own, "a", "from-a.txt")));
        await Eventually.TrueAsync("the shared file on b", async () => await b.ReadAsync("shared-from-a.txt") == "shared");
        await Eventually.TrueAsync("the laptop's edit in ~/notes/b on b", async () => await b.ReadAsync("for-b.txt", OwnOnDevbox) == "only b");

        // Whatever SyncThing had to send has arrived by now (b got later changes); give stragglers a few more seconds.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Null(await b.ReadAsync("from-a.txt", OwnOnDevbox));
        Assert.Null(await a.ReadAsync("for-b.txt", OwnOnDevbox));
        Assert.False(File.Exists(Path.Combine(world.Home, Own, "from-a.txt")));
        Assert.False(Directory.Exists(Path.Combine(world.Home, Own, "b", "a")));

        using var rest = world.Rest();
        var ownOfA = await rest.GetFolderAsync("notes@a");
        Assert.Equal(Path.Combine(world.Home, Own, "a"), ownOfA!.Path);
        Assert.Equal(2, ownOfA.Devices!.Count);
        Assert.Null(await rest.GetFolderAsync(Own));

        var folders = await world.CliJsonAsync("sync", "folders");
        Assert.All(folders["folders"]!.AsArray().SelectMany(f => f!["devboxes"]!.AsArray()), link => Assert.True((bool)link!["shared"]!));

        // Status shows each devbox's shared folder and its own folder, both shared and, once in sync, complete.
        await Eventually.TrueAsync("status lists code and notes@DEVBOX at 100 % for a and b", async () =>
        {
            var status = await world.CliJsonAsync("sync", "status");
            return status["devboxes"]!.AsArray().Count == 2 && status["devboxes"]!.AsArray().All(d =>
            {
                var listed = d!["folders"]!.AsArray().Select(f => f!).ToList();
                var expected = new[] { EndToEndWorld.Folder, $"{Own}@{(string)d["name"]!}" };
                return listed.Select(f => (string)f["folderId"]!).Order().SequenceEqual(expected.Order())
                    && listed.All(f => (bool)f["shared"]! && f["completion"] is { } c && (double)c == 100);
            });
        });

        // Pairing again changes nothing; unpair --folder drops only a's own folder and leaves b's and the shared one.
        var again = await world.CliJsonAsync(a.PairArguments());
        Assert.False((bool)again["changed"]!);
        await world.CliJsonAsync("sync", "unpair", "a", "--folder", Own);
        Assert.Null(await rest.GetFolderAsync("notes@a"));
        Assert.NotNull(await rest.GetFolderAsync("notes@b"));
        Assert.Contains((await rest.GetFolderAsync(EndToEndWorld.Folder))!.Devices!, d => d.DeviceId == (string)again["deviceId"]!);
    }

    /// <summary>
    /// Issue 18 item 4: real conflicts in each devbox's own folder (the laptop pauses the devbox, both edit ~/notes/.../x.txt,
    /// the devbox's later edit wins): the daemon collects both copies out of ~/notes/a and ~/notes/b into the store under
    /// notes@a and notes@b; `conflicts` lists both with their folder; `status` counts one per devbox; a relative x.txt is
    /// refused (open in two folders), the full path settles each, and `show` reads the version in the record's own folder.
    /// </summary>
    [Fact]
    public async Task Conflicts_in_each_devboxs_own_folder_are_collected_listed_with_their_folder_and_settled_by_full_path()
    {
        const string File1 = "x.txt";
        using var rest = world.Rest();
        var store = Thopter.Laptop.Conflicts.Store.ConflictStore.ForHome(world.Home);
        var ids = (await world.CliJsonAsync("sync", "list"))["devboxes"]!.AsArray().ToDictionary(d => (string)d!["name"]!, d => (string)d!["deviceId"]!);
        string OnLaptop(TestDevbox box) => Path.Combine(world.Home, Own, box.Name, File1);
        foreach (var box in new[] { a, b })
        {
            await File.WriteAllTextAsync(OnLaptop(box), "base\n");
            await Eventually.TrueAsync($"x.txt on {box.Name}", async () => await box.ReadAsync(File1, OwnOnDevbox) == "base\n", seconds: 60);
            await PausedEdits.EditApartAsync(
                rest,
                ids[box.Name],
                async () =>
                {
                    await File.WriteAllTextAsync(OnLaptop(box), $"laptop's {box.Name}\n");
                    await PausedEdits.IndexedAsync(rest, $"{Own}@{box.Name}", File1, $"laptop's {box.Name}\n".Length);
                },
                () => box.WriteAsync(File1, $"{box.Name}'s version\n", OwnOnDevbox));
        }

        await Eventually.TrueAsync("the daemon to collect both copies out of ~/notes", () =>
            store.Open($"{Own}@a").Count == 1 && store.Open($"{Own}@b").Count == 1 && ConflictTrees.CopiesIn(Path.Combine(world.Home, Own)).Count == 0, seconds: 90);
        var aside = store.Open($"{Own}@a").Single();
        Assert.Equal(("laptop", "a", File1), (aside.Aside.Devbox, aside.Current.Devbox, aside.Original));
        Assert.Equal("laptop's a\n", await File.ReadAllTextAsync(store.PathOf(aside)));

        var listed = await world.CliJsonAsync("sync", "conflicts");
        Assert.Equal(Path.Combine(world.Home, EndToEndWorld.Folder), (string)listed["folder"]!);
        Assert.Equal(
            [($"{Own}@a", Path.Combine(world.Home, Own, "a")), ($"{Own}@b", Path.Combine(world.Home, Own, "b"))],
            listed["conflicts"]!.AsArray().Select(c => ((string)c!["folderId"]!, (string)c["folderPath"]!)).Order());
        var status = await world.CliJsonAsync("sync", "status");
        Assert.Equal(2, (int)status["openConflicts"]!);
        Assert.All(status["devboxes"]!.AsArray(), d => Assert.Equal(1, (int)d!["openConflicts"]!));

        var ambiguous = await world.CliAsync("sync", "conflicts", "resolve", File1, "--keep", "aside");
        Assert.True(ambiguous.ExitCode == 2, ambiguous.ToString());
        Assert.Contains(OnLaptop(a), ambiguous.Error);
        Assert.Contains(OnLaptop(b), ambiguous.Error);

        var shown = await world.CliJsonAsync("sync", "conflicts", "show", OnLaptop(b));
        Assert.Equal($"{Own}@b", (string)shown["folderId"]!);
        Assert.Contains("+laptop's b", shown["diff"]!.AsArray().Select(l => (string)l!));
        Assert.Contains("-b's version", shown["diff"]!.AsArray().Select(l => (string)l!));

        var kept = await world.CliJsonAsync("sync", "conflicts", "resolve", OnLaptop(a), "--keep", "aside");
        Assert.Equal(($"{Own}@a", "aside"), ((string)kept["folderId"]!, (string)kept["resolved"]!["keep"]!));
        Assert.Equal("laptop's a\n", await File.ReadAllTextAsync(OnLaptop(a)));
        await Eventually.TrueAsync("the kept version on a", async () => await a.ReadAsync(File1, OwnOnDevbox) == "laptop's a\n", seconds: 30);
        Assert.Equal("b's version\n", await File.ReadAllTextAsync(OnLaptop(b)));
        Assert.Single(store.Open());
    }
}
