using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Laptop.Errors;
using Thopter.Laptop.ThopterConfig;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

/// <summary>
/// Issue 18 item 4: conflicts in every laptop folder. A shared folder ~/code and an own folder ~/notes synced by devboxes
/// a and b (~/notes/a, ~/notes/b, folder IDs notes@a and notes@b), collected by the real collector into a real store.
/// </summary>
public sealed class ConflictFinderTests : IDisposable
{
    private readonly TempDirectory home = new();
    private readonly ConflictStore store;
    private readonly IReadOnlyList<CollectionTarget> targets;

    public ConflictFinderTests()
    {
        store = new ConflictStore(home.Combine("store"), new FileLinks());
        var settings = new SyncSection { DeviceId = "LAPTOP2-AAAAAAA", Folders = [new SyncFolder { Name = "code" }, new SyncFolder { Name = "notes", Own = true }] };
        settings.Devboxes["a"] = new DevboxEntry { DeviceId = "BOXAAAA-AAAAAAA" };
        settings.Devboxes["b"] = new DevboxEntry { DeviceId = "BOXBBBB-AAAAAAA" };
        settings.Devboxes["c"] = new DevboxEntry { DeviceId = "BOXCCCC-AAAAAAA", Folders = ["code"] };
        targets = DeviceNames.TargetsOf(settings, home.Path);
    }

    public void Dispose() => home.Dispose();

    [Fact]
    public void Every_shared_folder_and_every_devboxs_own_folder_is_a_target_the_default_first()
    {
        Assert.Equal(
            [("code", home.Combine("code")), ("notes@a", home.Combine("notes", "a")), ("notes@b", home.Combine("notes", "b"))],
            targets.Select(t => (t.FolderId, t.FolderPath)));
        Assert.All(targets, t => Assert.Equal(("LAPTOP2", "a", "laptop"), (t.LaptopShortId, t.Names["BOXAAAA"], t.Names["LAPTOP2"])));
    }

    [Fact]
    public async Task Copies_in_own_folders_are_collected_into_the_store_under_their_folder_id()
    {
        await CollectAsync();

        var a = Assert.Single(store.Open("notes@a"));
        Assert.Equal(("notes@a", "x.txt"), (a.Folder, a.Original));
        Assert.True(Directory.Exists(Path.Combine(store.Root, "notes@a")));
        Assert.Equal("a's aside", File.ReadAllText(store.PathOf(a)));
        Assert.Equal("a", a.Current.Devbox);
        Assert.Single(store.Open("notes@b"));
        Assert.Single(store.Open("code"));
        Assert.Empty(ConflictScanner.Scan(home.Combine("notes", "a")));
    }

    [Fact]
    public async Task A_relative_path_open_in_two_folders_is_refused_naming_both_and_the_full_path_chooses()
    {
        await CollectAsync();

        var refused = Assert.Throws<ThopterException>(() => ConflictFinder.Find(store, targets, "x.txt", home.Path));
        Assert.Equal(ErrorKind.BadInput, refused.Kind);
        Assert.Contains(home.Combine("notes", "a", "x.txt"), refused.Message);
        Assert.Contains(home.Combine("notes", "b", "x.txt"), refused.Message);
        Assert.Contains("full path", refused.Fix);

        Assert.Equal("notes@b", ConflictFinder.Find(store, targets, home.Combine("notes", "b", "x.txt"), "/").Target.FolderId);
        var found = ConflictFinder.Find(store, targets, home.Combine("notes", "a", "x.txt"), "/");
        Assert.Equal(("notes@a", home.Combine("notes", "a", "x.txt")), (found.Record.Folder, found.FullPath));
    }

    [Fact]
    public async Task A_relative_path_is_read_against_the_current_directory_first_then_against_each_folder()
    {
        await CollectAsync();

        Assert.Equal("notes@b", ConflictFinder.Find(store, targets, "x.txt", home.Combine("notes", "b")).Target.FolderId);
        Assert.Equal("notes@a", ConflictFinder.Find(store, targets, "../a/x.txt", home.Combine("notes", "b")).Target.FolderId);
        Assert.Equal("code", ConflictFinder.Find(store, targets, Path.Combine("src", "y.txt"), "/").Target.FolderId);
        Assert.Equal("code", ConflictFinder.Find(store, targets, "y.txt", home.Combine("code", "src")).Target.FolderId);
        var byCopy = ConflictFinder.Find(store, targets, "x.sync-conflict-20261121-093015-BOXAAAA.txt", home.Combine("notes", "a"));
        Assert.Equal("notes@a", byCopy.Target.FolderId);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<ThopterException>(() => ConflictFinder.Find(store, targets, "nothing.txt", home.Path)).Kind);
    }

    /// <summary>One conflict on x.txt in each devbox's own folder and one on src/y.txt in the shared folder, collected.</summary>
    private async Task CollectAsync()
    {
        Write("notes/a/x.txt", "a's current");
        Write("notes/a/x.sync-conflict-20261121-093015-BOXAAAA.txt", "a's aside");
        Write("notes/b/x.txt", "b's current");
        Write("notes/b/x.sync-conflict-20261121-093015-BOXBBBB.txt", "b's aside");
        Write("code/src/y.txt", "current");
        Write("code/src/y.sync-conflict-20261121-093015-BOXCCCC.txt", "aside");
        var collector = new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System);
        foreach (var target in targets)
        {
            await collector.SweepAsync(target, CancellationToken.None);
        }
    }

    private void Write(string relative, string content)
    {
        var path = home.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
