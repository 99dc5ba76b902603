using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

/// <summary>Resolving from the store: each choice does what it says, and no version is ever lost.</summary>
public sealed class ConflictResolverTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory home = new();
    private readonly ConflictStore store;

    public ConflictResolverTests() => store = ConflictStore.ForHome(home.Path);

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Keep_current_leaves_the_folder_and_keeps_the_aside_version_in_the_store()
    {
        var record = await CollectAsync("box1's", "laptop's");

        new ConflictResolver(store, new FixedTime(Now)).Resolve(record, Folder, KeepChoice.Current);

        Assert.Equal("box1's", Read("notes.txt"));
        Assert.Equal("laptop's", File.ReadAllText(store.PathOf(record)));
        Assert.Empty(store.Open("code"));
        Assert.Equal("current", Assert.Single(store.List("code")).Resolved!.Keep);
    }

    [Fact]
    public async Task Keep_aside_puts_the_stored_version_back_and_the_replaced_one_into_the_store()
    {
        var record = await CollectAsync("box1's", "laptop's");

        var resolution = new ConflictResolver(store, new FixedTime(Now)).Resolve(record, Folder, KeepChoice.Aside);

        Assert.Equal("laptop's", Read("notes.txt"));
        Assert.Equal("laptop's", File.ReadAllText(store.PathOf(record)));
        Assert.Equal("box1's", File.ReadAllText(store.PathOf(resolution.Replaced!)));
        Assert.Equal("box1", resolution.Replaced!.Aside.Devbox);
        Assert.Empty(store.Open("code"));
        Assert.Equal(2, store.List("code").Count);
        Assert.Equal(["notes.txt"], Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Keep_both_restores_the_aside_version_beside_the_file_under_the_devbox_name_never_over_a_file()
    {
        var record = await CollectAsync("laptop's", "box1's", copyTaggedWith: "LAPTOP2", madeBy: "BOXBOX2");
        File.WriteAllText(Path.Combine(Folder, "notes.from-box1.txt"), "already here");

        new ConflictResolver(store, new FixedTime(Now)).Resolve(record, Folder, KeepChoice.Both);

        Assert.Equal("laptop's", Read("notes.txt"));
        Assert.Equal("box1's", Read("notes.from-box1.2.txt"));
        Assert.Equal("already here", Read("notes.from-box1.txt"));
        Assert.Equal("notes.from-box1.2.txt", Assert.Single(store.List("code")).Resolved!.RestoredAs);
        Assert.Equal("box1's", File.ReadAllText(store.PathOf(record)));
    }

    [Fact]
    public async Task Keep_aside_loses_no_version_when_SyncThing_renames_one_into_place_mid_resolve()
    {
        var record = await CollectAsync("box1's", "laptop's");
        var syncthing = new SyncthingRenamesIn(Path.Combine(Folder, "notes.txt"), "box2's late version", new FileLinks());

        new ConflictResolver(new ConflictStore(store.Root, syncthing), new FixedTime(Now)).Resolve(record, Folder, KeepChoice.Aside);

        Assert.True(syncthing.Wrote);
        var everywhere = store.List("code").Select(r => File.ReadAllText(store.PathOf(r))).Append(Read("notes.txt")).ToList();
        Assert.Contains("laptop's", everywhere);
        Assert.Contains("box2's late version", everywhere);
        Assert.Equal(["notes.txt"], Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Keep_aside_without_an_atomic_swap_still_stores_the_replaced_version()
    {
        var record = await CollectAsync("box1's", "laptop's");

        var resolution = new ConflictResolver(new ConflictStore(store.Root, new NoExchange()), new FixedTime(Now)).Resolve(record, Folder, KeepChoice.Aside);

        Assert.Equal("laptop's", Read("notes.txt"));
        Assert.Equal("box1's", File.ReadAllText(store.PathOf(resolution.Replaced!)));
        Assert.Equal(["notes.txt"], Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_resolved_conflict_is_not_resolved_again()
    {
        var record = await CollectAsync("box1's", "laptop's");
        var resolver = new ConflictResolver(store, new FixedTime(Now));
        resolver.Resolve(record, Folder, KeepChoice.Current);

        Assert.Throws<InvalidOperationException>(() => resolver.Resolve(record, Folder, KeepChoice.Aside));
        Assert.Equal("box1's", Read("notes.txt"));
    }

    [Fact]
    public async Task Without_a_daemon_the_cli_collects_in_tree_copies_then_lists_shows_and_resolves_them()
    {
        File.WriteAllText(home.Combine(".thopter.json"), """{"syncthing":{"deviceId":"LAPTOP2-AAAAAAA","folderName":"code","devboxes":{"box1":{"deviceId":"BOXBOX2-BBBBBBB","transport":["true"]}}}}""");
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "notes.txt"), "a\nbox1\nc\n");
        File.WriteAllText(Path.Combine(Folder, "notes.sync-conflict-20261121-093015-BOXBOX2.txt"), "a\nlaptop\nc\n");
        var environment = new CliEnvironment { Home = home.Path };

        var listed = await CliRun.RunAsync(environment, "sync", "conflicts", "--json");
        var shown = await CliRun.RunAsync(environment, "sync", "conflicts", "show", "notes.txt");
        var resolved = await CliRun.RunAsync(environment, "sync", "conflicts", "resolve", Path.Combine(Folder, "notes.txt"), "--keep", "aside");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        var row = JsonNode.Parse(listed.Output)!["conflicts"]!.AsArray().Single()!;
        Assert.Equal("notes.txt", (string)row["path"]!);
        Assert.Equal("box1", (string)row["inFolder"]!["devbox"]!);
        Assert.Equal("laptop", (string)row["aside"]!["devbox"]!);
        Assert.False(File.Exists(Path.Combine(Folder, "notes.sync-conflict-20261121-093015-BOXBOX2.txt")));
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.True(shown.Output.Contains("-box1\n+laptop\n", StringComparison.Ordinal), shown.Output);
        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        Assert.Equal("a\nlaptop\nc\n", Read("notes.txt"));
        Assert.Contains("laptop's version is back in place; box1's is in the store", resolved.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_or_a_mistyped_resolve_with_nothing_ever_collected_creates_no_store()
    {
        File.WriteAllText(home.Combine(".thopter.json"), """{"syncthing":{"deviceId":"LAPTOP2-AAAAAAA","folderName":"code"}}""");
        Directory.CreateDirectory(Folder);
        var environment = new CliEnvironment { Home = home.Path };

        var listed = await CliRun.RunAsync(environment, "sync", "conflicts");
        var resolved = await CliRun.RunAsync(environment, "sync", "conflicts", "resolve", "nope.txt", "--keep", "aside");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.NotEqual(0, resolved.ExitCode);
        Assert.False(Directory.Exists(ConflictStore.DefaultRoot(home.Path)));
    }

    [Fact]
    public async Task Purge_from_the_cli_deletes_only_what_is_older_than_the_days_given()
    {
        File.WriteAllText(home.Combine(".thopter.json"), """{"syncthing":{"deviceId":"LAPTOP2-AAAAAAA","folderName":"code"}}""");
        await CollectAsync("box1's", "laptop's");
        var tenDaysOn = new CliEnvironment { Home = home.Path, Time = new FixedTime(DateTimeOffset.UtcNow.AddDays(10)) };

        var kept = await CliRun.RunAsync(tenDaysOn, "sync", "conflicts", "purge", "--older-than", "11");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Single(store.List());
        var purged = await CliRun.RunAsync(tenDaysOn, "sync", "conflicts", "purge", "--older-than", "9");

        Assert.True(purged.ExitCode == 0, purged.ToString());
        Assert.Empty(store.List());
        Assert.Contains("deleted 1 stored version", purged.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRun.RunAsync(tenDaysOn, "sync", "conflicts", "purge", "--older-than", "-1")).ExitCode);
    }

    private string Folder => home.Combine("code");

    private string Read(string relative) => File.ReadAllText(Path.Combine(Folder, relative));

    /// <summary>notes.txt holds <paramref name="inFolder"/>; its conflict copy (collected) <paramref name="aside"/>.</summary>
    private async Task<ConflictRecord> CollectAsync(string inFolder, string aside, string copyTaggedWith = "BOXBOX2", string? madeBy = null)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "notes.txt"), inFolder);
        var copy = $"notes.sync-conflict-20261121-093015-{copyTaggedWith}.txt";
        File.WriteAllText(Path.Combine(Folder, copy), aside);
        var target = new CollectionTarget("code", Folder, "LAPTOP2", new Dictionary<string, string> { ["LAPTOP2"] = "laptop", ["BOXBOX2"] = "box1" });
        IVersionOrigins origins = madeBy is null ? new NoVersionOrigins() : new OneOrigin(copy, madeBy);
        return Assert.Single((await new ConflictCollector(store, origins, TimeProvider.System).SweepAsync(target, CancellationToken.None)).Collected);
    }

    private sealed class OneOrigin(string path, string device) : IVersionOrigins
    {
        public Task<string?> ModifiedByAsync(string folderId, string relativePath, CancellationToken cancellationToken) =>
            Task.FromResult(relativePath == path ? device : null);

        public Task<IReadOnlyList<DiskChange>> DiskChangesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DiskChange>>([]);
    }

    /// <summary>
    /// Plays SyncThing finishing a pull just after the resolve's first step on the file system: a new version renamed
    /// over <paramref name="path"/> (temp + rename, as SyncThing writes), once.
    /// </summary>
    private sealed class SyncthingRenamesIn(string path, string content, IFileLinks inner) : IFileLinks
    {
        public bool Wrote { get; private set; }

        public bool TryLink(string source, string target) => After(inner.TryLink(source, target));

        public bool TryExchange(string first, string second) => After(inner.TryExchange(first, second));

        private bool After(bool answer)
        {
            if (!Wrote)
            {
                Wrote = true;
                var temp = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, ".syncthing.late.tmp");
                File.WriteAllText(temp, content);
                File.Move(temp, path, overwrite: true);
            }

            return answer;
        }
    }

    /// <summary>A file system without renameat2's exchange (an old kernel, some network file systems).</summary>
    private sealed class NoExchange : IFileLinks
    {
        private readonly FileLinks real = new();

        public bool TryLink(string source, string target) => real.TryLink(source, target);

        public bool TryExchange(string first, string second) => false;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
