using System.Text.Json;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Shared.IO;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

/// <summary>The store: versions enter whole, never overwrite one another, and cross file systems by copy + fsync.</summary>
public sealed class ConflictStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public void Keep_moves_a_file_in_by_a_hard_link_on_one_file_system()
    {
        var store = new ConflictStore(home.Combine("store"), new FileLinks());
        var source = Write("code/a.sync-conflict-20261121-093015-ABCDEF2.c", "laptop");
        var inode = Inode(source);

        var stored = store.Keep("code", source, "a.sync-conflict-20261121-093015-ABCDEF2.c", removeSource: true);

        Assert.False(File.Exists(source));
        var path = home.Combine("store", "code", stored);
        Assert.Equal("laptop", File.ReadAllText(path));
        Assert.Equal(inode, Inode(path));
    }

    [Fact]
    public void Three_versions_under_one_name_are_all_kept_and_none_overwritten()
    {
        var store = new ConflictStore(home.Combine("store"), new FileLinks());
        const string name = "src/notes.sync-conflict-20261121-093015-ABCDEF2.txt";
        var names = new List<string>();
        foreach (var content in new[] { "one", "two", "three" })
        {
            names.Add(store.Keep("code", Write("code/" + name, content), name, removeSource: true));
        }

        Assert.Equal(3, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["one", "two", "three"], names.Select(n => File.ReadAllText(home.Combine("store", "code", n))));
    }

    [Fact]
    public void Across_file_systems_a_version_is_copied_and_flushed_before_it_leaves_the_folder()
    {
        // /dev/shm is a tmpfs, the temp directory is not: a real cross-device move (link(2) answers EXDEV).
        using var other = new ShmDirectory();
        var links = new RecordingLinks(new FileLinks());
        var store = new ConflictStore(other.Path, links);
        var source = Write("code/a.sync-conflict-20261121-093015-ABCDEF2.c", "laptop's version");

        var stored = store.Keep("code", source, "a.sync-conflict-20261121-093015-ABCDEF2.c", removeSource: true);

        Assert.Equal([false], links.Answers);
        Assert.False(File.Exists(source));
        Assert.Equal("laptop's version", File.ReadAllText(Path.Combine(other.Path, "code", stored)));
        Assert.Empty(Directory.GetFiles(Path.Combine(other.Path, "code"), "*.tmp"));
    }

    [Fact]
    public void The_copy_fallback_never_overwrites_a_name_taken_meanwhile()
    {
        var store = new ConflictStore(home.Combine("store"), new RefusingLinks());
        var first = store.Keep("code", Write("code/x.sync-conflict-20261121-093015-ABCDEF2", "first"), "x.sync-conflict-20261121-093015-ABCDEF2", removeSource: true);
        var second = store.Keep("code", Write("code/x.sync-conflict-20261121-093015-ABCDEF2", "second"), "x.sync-conflict-20261121-093015-ABCDEF2", removeSource: true);

        Assert.NotEqual(first, second);
        Assert.Equal("first", File.ReadAllText(home.Combine("store", "code", first)));
        Assert.Equal("second", File.ReadAllText(home.Combine("store", "code", second)));
    }

    [Fact]
    public void A_kept_copy_keeps_the_source_when_asked()
    {
        var store = new ConflictStore(home.Combine("store"), new FileLinks());
        var source = Write("code/notes.txt", "in the folder");

        var stored = store.Keep("code", source, "notes.replaced.txt", removeSource: false);

        Assert.Equal("in the folder", File.ReadAllText(source));
        Assert.Equal("in the folder", File.ReadAllText(home.Combine("store", "code", stored)));
    }

    [Fact]
    public void A_record_round_trips_and_is_private()
    {
        var store = new ConflictStore(home.Combine("store"), new FileLinks());
        var record = Record(store.Keep("code", Write("code/n.sync-conflict-20261121-093015-ABCDEF2.txt", "v"), "n.sync-conflict-20261121-093015-ABCDEF2.txt", removeSource: true));

        store.Add(record);

        var read = Assert.Single(store.List("code"));
        Assert.Equal(JsonSerializer.Serialize(record, ConflictJsonContext.Default.ConflictRecord), JsonSerializer.Serialize(read, ConflictJsonContext.Default.ConflictRecord));
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(store.PathOf(record) + ConflictStore.RecordSuffix));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.Root));
        Assert.Throws<FileAlreadyExistsException>(() => store.Add(record));
    }

    [Fact]
    public void Purge_deletes_only_versions_older_than_the_bound()
    {
        var store = new ConflictStore(home.Combine("store"), new FileLinks());
        var old = Record(store.Keep("code", Write("code/o.sync-conflict-20261101-093015-ABCDEF2.txt", "old"), "o.sync-conflict-20261101-093015-ABCDEF2.txt", removeSource: true), Now.AddDays(-10));
        var recent = Record(store.Keep("code", Write("code/r.sync-conflict-20261129-093015-ABCDEF2.txt", "recent"), "r.sync-conflict-20261129-093015-ABCDEF2.txt", removeSource: true), Now.AddDays(-1));
        store.Add(old);
        store.Add(recent);

        var purged = store.Purge(Now.AddDays(-7));

        Assert.Equal(old.Stored, Assert.Single(purged).Stored);
        Assert.False(File.Exists(store.PathOf(old)));
        Assert.False(File.Exists(store.PathOf(old) + ConflictStore.RecordSuffix));
        Assert.Equal("recent", File.ReadAllText(store.PathOf(recent)));
        Assert.Equal(recent.Stored, Assert.Single(store.List()).Stored);
    }

    private static ConflictRecord Record(string stored, DateTimeOffset? collected = null) => new()
    {
        Folder = "code",
        Original = "n.txt",
        Copy = stored,
        Stored = stored,
        ConflictTime = new DateTime(2026, 11, 21, 9, 30, 15),
        CollectedAt = collected ?? Now,
        Aside = new VersionFacts { Device = "LAPTOP2", Devbox = "laptop", Exists = true, Size = 1, Sha256 = "aa", Modified = Now },
        Current = new VersionFacts { Device = "ABCDEF2", Devbox = "box1", Exists = true, Size = 2, Sha256 = "bb", Modified = Now },
    };

    private string Write(string relative, string content)
    {
        var path = home.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Inode(string path) => new Thopter.Shared.Processes.ProcessRunner().RunAsync(new("stat", ["-c", "%d:%i", path])).GetAwaiter().GetResult().StandardOutput.Trim();

    /// <summary>Stands in for a file system without hard links (or another device): every link is refused.</summary>
    private sealed class RefusingLinks : IFileLinks
    {
        public bool TryLink(string source, string target) => false;

        public bool TryExchange(string first, string second) => false;
    }

    private sealed class RecordingLinks(IFileLinks inner) : IFileLinks
    {
        public List<bool> Answers { get; } = [];

        public bool TryLink(string source, string target)
        {
            var answer = inner.TryLink(source, target);
            Answers.Add(answer);
            return answer;
        }

        public bool TryExchange(string first, string second) => inner.TryExchange(first, second);
    }

    private sealed class ShmDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory($"/dev/shm/thopter-test-{Guid.NewGuid():N}").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
