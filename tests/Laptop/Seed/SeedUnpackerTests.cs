using Thopter.Agent.Seed;
using Thopter.Laptop.Seed;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Ignore;
using Thopter.Shared.Seed;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Seed;

/// <summary>Unpacking a seed stream into a laptop folder: everything arrives as packed, and nothing on the laptop is replaced, written through a link or lost.</summary>
public sealed class SeedUnpackerTests : IDisposable
{
    private static readonly DateTime When = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567);
    private readonly TempDirectory temp = new();
    private readonly string devbox;
    private readonly string laptop;

    public SeedUnpackerTests()
    {
        devbox = Directory.CreateDirectory(temp.Combine("devbox")).FullName;
        laptop = Directory.CreateDirectory(temp.Combine("laptop")).FullName;
        Directory.CreateDirectory(Path.Combine(laptop, StIgnore.FolderMarker));
    }

    public void Dispose() => temp.Dispose();

    private string OnDevbox(string relative, string content, UnixFileMode mode = (UnixFileMode)0x1A4)
    {
        var path = Path.Combine(devbox, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        File.SetLastWriteTimeUtc(path, When);
        return path;
    }

    private async Task<SeedOutcome> SeedAsync(Func<SeedWriter, Task>? write = null)
    {
        var stream = new MemoryStream();
        var writer = await SeedWriter.StartAsync(stream, default);
        await (write ?? (w => new FolderPacker(devbox, IgnoreMatcher.Load(devbox)).PackAsync(w, default)))(writer);
        await writer.CompleteAsync(default);

        stream.Position = 0;
        return await new SeedUnpacker(laptop, IgnoreMatcher.Load(laptop)).UnpackAsync(await SeedReader.StartAsync(stream, default), default);
    }

    [Fact]
    public async Task An_empty_folder_receives_every_file_with_its_content_mode_and_mtime()
    {
        OnDevbox("src/a/main.c", "int main;", (UnixFileMode)0x1E8);
        OnDevbox("README", "hello");
        File.SetUnixFileMode(Path.Combine(devbox, "src", "a"), (UnixFileMode)0x1C0);
        Directory.SetLastWriteTimeUtc(Path.Combine(devbox, "src", "a"), When);
        File.CreateSymbolicLink(Path.Combine(devbox, "src", "link"), "a/main.c");

        var outcome = await SeedAsync();

        Assert.Equal(new SeedOutcome(Written: 3, Directories: 2, Bytes: 14, Existing: 0, Blocked: 0, Ignored: 0, Changed: 0), outcome);
        var main = Path.Combine(laptop, "src", "a", "main.c");
        Assert.Equal("int main;", File.ReadAllText(main));
        Assert.Equal((UnixFileMode)0x1E8, File.GetUnixFileMode(main));
        Assert.Equal(When, File.GetLastWriteTimeUtc(main));
        Assert.Equal(When, Directory.GetLastWriteTimeUtc(Path.Combine(laptop, "src", "a")));
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(Path.Combine(laptop, "src", "a")));
        Assert.Equal("a/main.c", new FileInfo(Path.Combine(laptop, "src", "link")).LinkTarget);
        Assert.Equal([Path.Combine(laptop, StIgnore.FolderMarker)], Directory.GetFileSystemEntries(laptop, ".st*"));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(laptop, StIgnore.FolderMarker)));
    }

    [Fact]
    public async Task A_file_the_laptop_already_has_is_never_replaced()
    {
        OnDevbox("src/main.c", "devbox's version");
        OnDevbox("src/new.c", "new");
        Directory.CreateDirectory(Path.Combine(laptop, "src"));
        File.WriteAllText(Path.Combine(laptop, "src", "main.c"), "laptop's version");
        File.CreateSymbolicLink(Path.Combine(laptop, "src", "dangling"), "nowhere");
        OnDevbox("src/dangling", "devbox file where the laptop has a dangling link");

        var outcome = await SeedAsync();

        Assert.Equal("laptop's version", File.ReadAllText(Path.Combine(laptop, "src", "main.c")));
        Assert.Equal("nowhere", new FileInfo(Path.Combine(laptop, "src", "dangling")).LinkTarget);
        Assert.Equal("new", File.ReadAllText(Path.Combine(laptop, "src", "new.c")));
        Assert.Equal(2, outcome.Existing);
        Assert.Equal(1, outcome.Written);
    }

    [Fact]
    public async Task Nothing_is_written_through_a_link_on_the_laptop()
    {
        var outside = Directory.CreateDirectory(temp.Combine("outside")).FullName;
        File.CreateSymbolicLink(Path.Combine(laptop, "src"), outside);
        OnDevbox("src/a/main.c", "would land outside");
        OnDevbox("ok.txt", "fine");

        var outcome = await SeedAsync();

        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.Equal(1, outcome.Existing);
        Assert.Equal(2, outcome.Blocked);
        Assert.Equal("fine", File.ReadAllText(Path.Combine(laptop, "ok.txt")));
    }

    [Fact]
    public async Task What_the_laptops_stignore_ignores_stays_out()
    {
        File.WriteAllText(Path.Combine(laptop, StIgnore.FileName), "secrets\n");
        OnDevbox("secrets/key", "k");
        OnDevbox("src/x", "x");

        var outcome = await SeedAsync();

        Assert.False(Path.Exists(Path.Combine(laptop, "secrets")));
        Assert.Equal(2, outcome.Ignored);
        Assert.Equal(1, outcome.Written);
    }

    [Fact]
    public async Task A_file_changed_while_packed_is_left_to_syncthing()
    {
        var outcome = await SeedAsync(w => w.WriteFileAsync("busy.log", (UnixFileMode)0x1A4, When, 3, new MemoryStream([1, 2, 3]), () => false, default));

        Assert.Equal(1, outcome.Changed);
        Assert.False(Path.Exists(Path.Combine(laptop, "busy.log")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(laptop, StIgnore.FolderMarker)));
    }

    [Fact]
    public async Task A_folder_syncthing_has_not_started_is_refused_and_left_untouched()
    {
        Directory.Delete(Path.Combine(laptop, StIgnore.FolderMarker));
        OnDevbox("src/x", "x");

        await Assert.ThrowsAsync<SeedFormatException>(() => SeedAsync());
        Assert.Empty(Directory.GetFileSystemEntries(laptop));
    }
}
