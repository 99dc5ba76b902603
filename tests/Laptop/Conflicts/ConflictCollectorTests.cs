using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

/// <summary>One sweep of a real folder into a real store; SyncThing's index stands in as a dictionary of who changed what.</summary>
public sealed class ConflictCollectorTests : IDisposable
{
    private const string Copy = "src/notes.sync-conflict-20261121-093015-BOXBOX2.txt";
    private readonly TempDirectory home = new();
    private readonly ConflictStore store;
    private readonly CollectionTarget target;

    public ConflictCollectorTests()
    {
        store = new ConflictStore(home.Combine("store"), new FileLinks());
        target = new CollectionTarget("code", home.Combine("code"), "LAPTOP2", new Dictionary<string, string> { ["LAPTOP2"] = "laptop", ["BOXBOX2"] = "box1", ["OTHERB2"] = "box2" });
    }

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task A_copy_made_here_is_moved_into_the_store_with_its_record()
    {
        Write("src/notes.txt", "box1's version");
        Write(Copy, "laptop's version");

        var result = await new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System).SweepAsync(target, CancellationToken.None);

        var record = Assert.Single(result.Collected);
        Assert.False(File.Exists(home.Combine("code", "src", "notes.sync-conflict-20261121-093015-BOXBOX2.txt")));
        Assert.Equal("laptop's version", File.ReadAllText(store.PathOf(record)));
        Assert.Equal(Path.Combine("src", "notes.txt"), record.Original);
        Assert.Equal(Path.Combine("src", "notes.sync-conflict-20261121-093015-BOXBOX2.txt"), record.Copy);
        Assert.Equal(("LAPTOP2", "laptop"), (record.Aside.Device, record.Aside.Devbox));
        Assert.Equal(("BOXBOX2", "box1"), (record.Current.Device, record.Current.Devbox));
        Assert.Equal(EndToEndSha("laptop's version"), record.Aside.Sha256);
        Assert.Equal("laptop's version".Length, record.Aside.Size);
        Assert.Equal(EndToEndSha("box1's version"), record.Current.Sha256);
        Assert.Equal(new DateTime(2026, 11, 21, 9, 30, 15), record.ConflictTime);
        Assert.True(record.Open);
        Assert.Equal(record.Stored, Assert.Single(store.List("code")).Stored);
    }

    /// <summary>
    /// The daemon's sweep and a CLI's (`conflicts resolve` collects first) find the same copy: the second waits for the
    /// first under the store's lock and finds nothing left, instead of storing the version a second time while the first
    /// is between its link and its removal.
    /// </summary>
    [Fact]
    public async Task Two_sweeps_at_once_store_a_copy_once()
    {
        Write("src/notes.txt", "box1's version");
        Write(Copy, "laptop's version");
        using var paused = new PausedAfterLink(new FileLinks());
        var first = new ConflictCollector(new ConflictStore(store.Root, paused), new NoVersionOrigins(), TimeProvider.System).SweepAsync(target, CancellationToken.None);
        await paused.Linked.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var second = new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System).SweepAsync(target, CancellationToken.None);
        await Task.WhenAny(second, Task.Delay(1000));
        paused.Release();
        await Task.WhenAll(first, second);

        var record = Assert.Single(store.List("code"));
        Assert.Equal("laptop's version", File.ReadAllText(store.PathOf(record)));
        Assert.Empty(store.Unrecorded("code"));
    }

    [Fact]
    public async Task A_copy_from_a_devbox_is_named_for_the_device_syncthing_says_made_it()
    {
        // box2's change lost to the laptop's on box2, which made the copy (tagged with the laptop) and synced it here.
        Write("notes.txt", "laptop's version");
        Write("notes.sync-conflict-20261121-093015-LAPTOP2.txt", "box2's version");
        var origins = new IndexOrigins { ["notes.sync-conflict-20261121-093015-LAPTOP2.txt"] = "OTHERB2", ["notes.txt"] = "LAPTOP2" };

        var result = await new ConflictCollector(store, origins, TimeProvider.System).SweepAsync(target, CancellationToken.None);

        var record = Assert.Single(result.Collected);
        Assert.Equal("box2", record.Aside.Devbox);
        Assert.Equal("laptop", record.Current.Devbox);
        Assert.Equal("box2", ConflictCollection.Involved(record));
    }

    /// <summary>
    /// The race ci12 lost: the laptop moved its version aside when box1's won; box2, which had fetched the laptop's
    /// version, made its own copy of it under the same name a moment later, and the laptop's SyncThing took box2's entry
    /// for the path. The index now names box2, but the version is the laptop's.
    /// </summary>
    [Fact]
    public async Task A_copy_made_here_is_the_laptops_version_even_when_a_second_devbox_announced_the_same_copy_since()
    {
        Write("src/notes.txt", "box1's version");
        Write(Copy, "laptop's version");
        var origins = new IndexOrigins { [Copy] = "OTHERB2", ["src/notes.txt"] = "BOXBOX2" };
        origins.Changes.AddRange([Change("src/notes.txt", true, "LAPTOP2"), Change("src/notes.txt", false, "BOXBOX2"), Change(Copy, true, "LAPTOP2"), Change(Copy, false, "OTHERB2")]);

        var record = Assert.Single((await new ConflictCollector(store, origins, TimeProvider.System).SweepAsync(target, CancellationToken.None)).Collected);

        Assert.Equal(("LAPTOP2", "laptop"), (record.Aside.Device, record.Aside.Devbox));
        Assert.Equal(("BOXBOX2", "box1"), (record.Current.Device, record.Current.Devbox));
    }

    /// <summary>
    /// Two devboxes edited one file while the laptop relayed: box2's version reached the laptop first, box1's won, and the
    /// laptop (which made the copy) moved box2's version aside. The version is box2's, not the laptop's.
    /// </summary>
    [Fact]
    public async Task A_copy_the_laptop_made_of_a_devboxs_version_is_that_devboxs()
    {
        Write("src/notes.txt", "box1's version");
        Write(Copy, "box2's version");
        var origins = new IndexOrigins { [Copy] = "LAPTOP2", ["src/notes.txt"] = "BOXBOX2" };
        origins.Changes.AddRange([Change("src/notes.txt", false, "OTHERB2"), Change("src/notes.txt", false, "BOXBOX2"), Change(Copy, true, "LAPTOP2")]);

        var record = Assert.Single((await new ConflictCollector(store, origins, TimeProvider.System).SweepAsync(target, CancellationToken.None)).Collected);

        Assert.Equal(("OTHERB2", "box2"), (record.Aside.Device, record.Aside.Devbox));
        Assert.Equal("box2", ConflictCollection.Involved(record));
    }

    /// <summary>
    /// Both copies of one losing version are in the folder when the sweep runs, and box2's name sorts first (its clock
    /// runs ahead). The laptop's own copy, which SyncThing's changes show it made, is the one recorded.
    /// </summary>
    [Fact]
    public async Task Of_two_copies_of_one_version_the_one_made_here_is_recorded()
    {
        var box2s = "src/notes.sync-conflict-20261121-093014-BOXBOX2.txt";
        Write("src/notes.txt", "box1's version");
        Write(Copy, "laptop's version");
        Write(box2s, "laptop's version");
        var origins = new IndexOrigins { [Copy] = "LAPTOP2", [box2s] = "OTHERB2", ["src/notes.txt"] = "BOXBOX2" };
        origins.Changes.AddRange([Change("src/notes.txt", true, "LAPTOP2"), Change("src/notes.txt", false, "BOXBOX2"), Change(Copy, true, "LAPTOP2"), Change(box2s, false, "OTHERB2")]);

        var record = Assert.Single((await new ConflictCollector(store, origins, TimeProvider.System).SweepAsync(target, CancellationToken.None)).Collected);

        Assert.Equal(Path.Combine("src", "notes.sync-conflict-20261121-093015-BOXBOX2.txt"), record.Copy);
        Assert.Equal("laptop", record.Aside.Devbox);
        Assert.Empty(ConflictScanner.Scan(home.Combine("code")));
    }

    [Fact]
    public async Task Nothing_but_exact_conflict_copies_is_touched()
    {
        var others = new[]
        {
            "notes.sync-conflict-20261121-093015-box1234.txt",
            "notes.sync-conflict-2026112-093015-ABCDEF2.txt",
            ".syncthing.Makefile.sync-conflict-20261121-093015-ABCDEF2.tmp",
            ".stversions/notes.sync-conflict-20261121-093015-ABCDEF2.txt",
            "notes.txt",
        };
        foreach (var name in others)
        {
            Write(name, name);
        }

        var result = await new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System).SweepAsync(target, CancellationToken.None);

        Assert.Empty(result.Collected);
        Assert.All(others, name => Assert.Equal(name, File.ReadAllText(home.Combine(["code", .. name.Split('/')]))));
        Assert.False(Directory.Exists(store.Root));
    }

    [Fact]
    public async Task A_copy_still_being_written_is_left_for_the_next_sweep()
    {
        Write(Copy, "first bytes");
        var path = home.Combine(["code", .. Copy.Split('/')]);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await File.AppendAllTextAsync(path, "more ");
                await Task.Delay(10);
            }
        });

        var result = await new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System).SweepAsync(target, CancellationToken.None);
        await stop.CancelAsync();
        await writer;

        Assert.Empty(result.Collected);
        Assert.Equal(1, result.Unsettled);
        Assert.True(File.Exists(path));
        var later = await new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System).SweepAsync(target, CancellationToken.None);
        Assert.Equal(File.ReadAllText(store.PathOf(Assert.Single(later.Collected))).Length, Assert.Single(later.Collected).Aside.Size);
    }

    [Fact]
    public async Task Three_conflicts_in_a_row_on_one_path_keep_all_three_versions()
    {
        // The same copy name three times (SyncThing names copies to the second): none may overwrite another.
        var collector = new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System);
        foreach (var version in new[] { "one", "two", "three" })
        {
            Write(Copy, version);
            Assert.Single((await collector.SweepAsync(target, CancellationToken.None)).Collected);
        }

        var records = store.Open("code");
        Assert.Equal(["one", "three", "two"], records.Select(r => File.ReadAllText(store.PathOf(r))).Order(StringComparer.Ordinal));
        Assert.Equal(3, records.Select(r => r.Stored).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_copy_that_comes_back_byte_for_byte_leaves_the_folder_again_without_a_second_record()
    {
        // A devbox fetched the copy before its removal arrived and announced it again; SyncThing brought it back here.
        var collector = new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System);
        Write(Copy, "laptop's version");
        Assert.Single((await collector.SweepAsync(target, CancellationToken.None)).Collected);
        Write(Copy, "laptop's version");

        var again = await collector.SweepAsync(target, CancellationToken.None);

        Assert.Empty(again.Collected);
        Assert.False(File.Exists(home.Combine(["code", .. Copy.Split('/')])));
        Assert.Equal("laptop's version", File.ReadAllText(store.PathOf(Assert.Single(store.List("code")))));
    }

    [Fact]
    public async Task The_same_losing_version_copied_again_by_a_second_devbox_a_second_later_is_not_a_second_conflict()
    {
        // Seen end to end: box-b saw the same two versions and made its own copy, named a second later, which synced here.
        var collector = new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System);
        Write(Copy, "laptop's version");
        Assert.Single((await collector.SweepAsync(target, CancellationToken.None)).Collected);
        var later = Copy.Replace("-093015-", "-093016-", StringComparison.Ordinal);
        Assert.NotEqual(Copy, later);
        Write(later, "laptop's version");

        var again = await collector.SweepAsync(target, CancellationToken.None);

        Assert.Empty(again.Collected);
        Assert.False(File.Exists(home.Combine(["code", .. later.Split('/')])));
        Assert.Equal("laptop's version", File.ReadAllText(store.PathOf(Assert.Single(store.List("code")))));
        Write(later, "another version");
        Assert.Single((await collector.SweepAsync(target, CancellationToken.None)).Collected);
        Assert.Equal(2, store.List("code").Count);
    }

    [Fact]
    public async Task Two_devboxes_copies_of_one_losing_version_found_in_one_sweep_make_one_conflict()
    {
        // Both copies arrived before the sweep ran: the second must be recognised against what this sweep just stored.
        var collector = new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System);
        var later = Copy.Replace("-093015-", "-093016-", StringComparison.Ordinal);
        Write(Copy, "laptop's version");
        Write(later, "laptop's version");

        var sweep = await collector.SweepAsync(target, CancellationToken.None);

        Assert.Single(sweep.Collected);
        Assert.False(File.Exists(home.Combine(["code", .. Copy.Split('/')])));
        Assert.False(File.Exists(home.Combine(["code", .. later.Split('/')])));
        Assert.Equal("laptop's version", File.ReadAllText(store.PathOf(Assert.Single(store.List("code")))));
    }

    [Fact]
    public async Task A_version_stored_without_its_record_by_a_crash_gets_one_and_leaves_the_folder_without_a_twin()
    {
        // Killed after the version entered the store (a hard link) but before it left the folder and got its record.
        Write("src/notes.txt", "box1's version");
        Write(Copy, "laptop's version");
        var stored = store.Keep("code", home.Combine(["code", .. Copy.Split('/')]), Copy, removeSource: false);

        var result = await new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System).SweepAsync(target, CancellationToken.None);

        var record = Assert.Single(result.Collected);
        Assert.Equal(stored, record.Stored);
        Assert.Equal(Path.Combine("src", "notes.txt"), record.Original);
        Assert.Equal(Copy, record.Copy);
        Assert.Equal(("LAPTOP2", "laptop"), (record.Aside.Device, record.Aside.Devbox));
        Assert.Equal(EndToEndSha("laptop's version"), record.Aside.Sha256);
        Assert.Equal(EndToEndSha("box1's version"), record.Current.Sha256);
        Assert.False(File.Exists(home.Combine(["code", .. Copy.Split('/')])));
        Assert.Equal(stored, Assert.Single(store.List("code")).Stored);
        Assert.Empty(store.Unrecorded("code"));
    }

    [Fact]
    public async Task A_second_version_under_one_name_stored_without_its_record_is_recorded_as_that_copy()
    {
        var collector = new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System);
        Write(Copy, "first");
        await collector.SweepAsync(target, CancellationToken.None);
        // Killed after the second version left the folder for the store, before its record was written.
        Write(Copy, "second");
        var stored = store.Keep("code", home.Combine(["code", .. Copy.Split('/')]), Copy, removeSource: true);

        var record = Assert.Single((await collector.SweepAsync(target, CancellationToken.None)).Collected);

        Assert.NotEqual(Copy, stored);
        Assert.Equal((stored, Copy, Path.Combine("src", "notes.txt")), (record.Stored, record.Copy, record.Original));
        Assert.Equal(["first", "second"], store.List("code").Select(r => File.ReadAllText(store.PathOf(r))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Recovery_leaves_alone_a_stored_version_that_is_no_conflict_copy_and_a_cut_short_copy()
    {
        var directory = Directory.CreateDirectory(home.Combine("store", "code")).FullName;
        File.WriteAllText(Path.Combine(directory, "notes.replaced-20261130-100000.txt"), "a resolve's replaced version");
        File.WriteAllText(Path.Combine(directory, ".notes.sync-conflict-20261121-093015-BOXBOX2.txt.4242.0123456789abcdef0123456789abcdef.copying.tmp"), "half a co");

        var result = await new ConflictCollector(store, new NoVersionOrigins(), TimeProvider.System).SweepAsync(target, CancellationToken.None);

        Assert.Empty(result.Collected);
        Assert.Equal(["notes.replaced-20261130-100000.txt"], store.Unrecorded("code"));
        Assert.Empty(store.List("code"));
    }

    private static DiskChange Change(string path, bool local, string modifiedBy) => new("code", path, local, modifiedBy);

    private static string EndToEndSha(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private void Write(string relative, string content)
    {
        var path = home.Combine(["code", .. relative.Split('/')]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>SyncThing's index (who last changed a path) and its disk changes since it started.</summary>
    private sealed class IndexOrigins : Dictionary<string, string>, IVersionOrigins
    {
        public List<DiskChange> Changes { get; } = [];

        public Task<string?> ModifiedByAsync(string folderId, string relativePath, CancellationToken cancellationToken) =>
            Task.FromResult(TryGetValue(relativePath, out var device) ? device : null);

        public Task<IReadOnlyList<DiskChange>> DiskChangesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DiskChange>>(Changes);
    }

    /// <summary>Links for real, then holds the sweep between its link and its removal until released.</summary>
    private sealed class PausedAfterLink(IFileLinks inner) : IFileLinks, IDisposable
    {
        private readonly ManualResetEventSlim release = new();

        public TaskCompletionSource Linked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => release.Set();

        public bool TryLink(string source, string target)
        {
            var linked = inner.TryLink(source, target);
            Linked.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(30));
            return linked;
        }

        public bool TryExchange(string first, string second) => inner.TryExchange(first, second);

        public void Dispose() => release.Dispose();
    }
}
