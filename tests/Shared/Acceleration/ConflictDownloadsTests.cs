using Microsoft.Extensions.Logging.Abstractions;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Conflicts;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration;

/// <summary>
/// A devbox's sweep of SyncThing's conflict copy downloads left while its accelerator was not running, on a real
/// directory: only SyncThing's exact temp name of a conflict copy, only once it stopped changing, nothing else.
/// </summary>
public sealed class ConflictDownloadsTests : IDisposable
{
    private const string Left = ".syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp";
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(".syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp", "notes.txt")]
    [InlineData(".syncthing.Makefile.sync-conflict-20261130-133549-RODVKG4.tmp", "Makefile")]
    [InlineData("~syncthing~notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp", "notes.txt")]
    public void SyncThings_temp_name_of_a_conflict_copy_is_a_download(string name, string original) =>
        Assert.Equal(original, ConflictName.OfDownload(name)?.OriginalName);

    [Theory]
    [InlineData(".syncthing.notes.txt.tmp")]
    [InlineData(".syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt")]
    [InlineData("notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp")]
    [InlineData("x.syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp")]
    [InlineData(".syncthing.notes.sync-conflict-20261130-133549-rodvkg4.txt.tmp")]
    [InlineData(".syncthing.notes.sync-conflict-20261130-133549-RODVKG4.txt.tmp.bak")]
    [InlineData(".syncthing..tmp")]
    [InlineData(".syncthing.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0.tmp")]
    public void Other_names_are_not_downloads(string name) => Assert.Null(ConflictName.OfDownload(name));

    [Fact]
    public async Task A_download_left_unchanged_is_deleted_and_nothing_else_is()
    {
        var kept = new[]
        {
            "src/.syncthing.notes.txt.tmp",
            "src/notes.sync-conflict-20261130-133549-RODVKG4.txt",
            ".stversions/" + Left,
            "node_modules/" + Left,
        };
        foreach (var path in kept.Append(Left).Append("src/" + Left))
        {
            Write(path, "half a download");
        }

        Directory.CreateSymbolicLink(folder.Combine("src", ".syncthing.link.sync-conflict-20261130-133549-RODVKG4.txt.tmp"), folder.Combine("src", "notes.sync-conflict-20261130-133549-RODVKG4.txt"));

        var deleted = await Sweep(skips: path => path.EndsWith("/node_modules", StringComparison.Ordinal) || path.EndsWith("/.stversions", StringComparison.Ordinal));

        Assert.Equal([Left, "src/" + Left], deleted.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(folder.Combine(Left)));
        Assert.False(File.Exists(folder.Combine("src", Left)));
        Assert.All(kept, path => Assert.True(File.Exists(folder.Combine(path.Split('/'))), path));
        Assert.NotNull(new FileInfo(folder.Combine("src", ".syncthing.link.sync-conflict-20261130-133549-RODVKG4.txt.tmp")).LinkTarget);
    }

    [Fact]
    public async Task A_download_still_being_written_is_left_alone()
    {
        Write(Left, "first block");
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                await File.AppendAllTextAsync(folder.Combine(Left), "another block");
                await Task.Delay(50);
            }
        });

        var deleted = await Sweep(_ => false);
        await writing.CancelAsync();
        await writer;

        Assert.Empty(deleted);
        Assert.True(File.Exists(folder.Combine(Left)));
    }

    private Task<IReadOnlyList<string>> Sweep(Func<string, bool> skips) =>
        new ConflictDownloads(folder.Path, NullLogger.Instance, TimeProvider.System).SweepLeftAsync(skips, CancellationToken.None);

    private void Write(string relative, string content)
    {
        var path = folder.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
