using System.Diagnostics;
using Thopter.Agent.Seed;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Ignore;
using Thopter.Shared.Seed;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Agent.Seed;

/// <summary>What `thopter-agent pack` puts in a seed stream from a real folder on disk.</summary>
public sealed class FolderPackerTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    public static async Task<List<(SeedEntry Entry, byte[] Content)>> PackAsync(string folder)
    {
        var stream = new MemoryStream();
        var writer = await SeedWriter.StartAsync(stream, default);
        await new FolderPacker(folder, IgnoreMatcher.Load(folder)).PackAsync(writer, default);
        await writer.CompleteAsync(default);

        stream.Position = 0;
        var reader = await SeedReader.StartAsync(stream, default);
        var entries = new List<(SeedEntry, byte[])>();
        while (await reader.NextAsync(default) is { } entry)
        {
            var content = new MemoryStream();
            if (entry.Kind == SeedEntryKind.File)
            {
                Assert.True(await reader.CopyContentAsync(content, default));
            }

            entries.Add((entry, content.ToArray()));
        }

        return entries;
    }

    [Fact]
    public async Task Packs_what_syncthing_syncs_and_leaves_out_ignored_trees_and_syncthings_own_files()
    {
        var folder = Directory.CreateDirectory(temp.Combine("code")).FullName;
        File.WriteAllText(Path.Combine(folder, StIgnore.FileName), StIgnore.Merge(null));
        Directory.CreateDirectory(Path.Combine(folder, StIgnore.FolderMarker));
        File.WriteAllText(Path.Combine(folder, StIgnore.FolderMarker, "x"), "marker");
        Directory.CreateDirectory(Path.Combine(folder, "src", "deep"));
        File.WriteAllText(Path.Combine(folder, "src", "deep", "main.c"), "int main;");
        File.WriteAllText(Path.Combine(folder, "src", ".syncthing.main.c.tmp"), "partial");
        File.WriteAllText(Path.Combine(folder, "notes.swp"), "editor");
        Directory.CreateDirectory(Path.Combine(folder, "node_modules", "pkg"));
        File.WriteAllText(Path.Combine(folder, "node_modules", "pkg", "index.js"), "dep");

        var paths = (await PackAsync(folder)).Select(e => e.Entry.Path).ToList();

        Assert.Equal(["src", "src/deep", "src/deep/main.c"], paths.Order(StringComparer.Ordinal));
        Assert.True(paths.IndexOf("src") < paths.IndexOf("src/deep/main.c"), "a directory comes before its contents");
    }

    [Fact]
    public async Task Carries_permission_bits_and_the_mtime_to_the_tick()
    {
        var folder = Directory.CreateDirectory(temp.Combine("code")).FullName;
        var script = Path.Combine(folder, "run.sh");
        File.WriteAllText(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1E8);
        var when = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567);
        File.SetLastWriteTimeUtc(script, when);

        var (entry, content) = Assert.Single(await PackAsync(folder));

        Assert.Equal(new SeedEntry(SeedEntryKind.File, "run.sh", (UnixFileMode)0x1E8, when, 10), entry);
        Assert.Equal("#!/bin/sh\n"u8.ToArray(), content);
    }

    [Fact]
    public async Task A_symlink_is_sent_as_a_link_and_never_followed()
    {
        var outside = Directory.CreateDirectory(temp.Combine("outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret"), "not for the laptop");
        var folder = Directory.CreateDirectory(temp.Combine("code")).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "escape"), outside);
        File.CreateSymbolicLink(Path.Combine(folder, "file-link"), Path.Combine(outside, "secret"));

        var entries = await PackAsync(folder);

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(SeedEntryKind.Symlink, e.Entry.Kind));
        Assert.Contains(entries, e => e.Entry.Path == "escape" && e.Entry.LinkTarget == outside);
        Assert.DoesNotContain(entries, e => e.Entry.Path.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fifo_is_skipped_without_waiting_for_a_writer()
    {
        var folder = Directory.CreateDirectory(temp.Combine("code")).FullName;
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(folder, "pipe")))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        File.WriteAllText(Path.Combine(folder, "real"), "x");

        var packed = PackAsync(folder);
        Assert.Same(packed, await Task.WhenAny(packed, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.Equal(["real"], (await packed).Select(e => e.Entry.Path));
    }
}
