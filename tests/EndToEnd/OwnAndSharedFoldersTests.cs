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
        await WriteAsync(a, $"/home/dev/{Own}/from-a.txt", "a's own");
        await WriteAsync(a, "/home/dev/code/shared-from-a.txt", "shared");
        File.WriteAllText(Path.Combine(world.Home, Own, "b", "for-b.txt"), "only b");

        await Eventually.TrueAsync("a's own file under ~/notes/a on the laptop", () => File.Exists(Path.Combine(world.Home, Own, "a", "from-a.txt")));
        Assert.Equal("a's own", File.ReadAllText(Path.Combine(world.Home, Own, "a", "from-a.txt")));
        await Eventually.TrueAsync("the shared file on b", async () => await ReadAsync(b, "/home/dev/code/shared-from-a.txt") == "shared");
        await Eventually.TrueAsync("the laptop's edit in ~/notes/b on b", async () => await ReadAsync(b, $"/home/dev/{Own}/for-b.txt") == "only b");

        // Whatever SyncThing had to send has arrived by now (b got later changes); give stragglers a few more seconds.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Null(await ReadAsync(b, $"/home/dev/{Own}/from-a.txt"));
        Assert.Null(await ReadAsync(a, $"/home/dev/{Own}/for-b.txt"));
        Assert.False(File.Exists(Path.Combine(world.Home, Own, "from-a.txt")));
        Assert.False(Directory.Exists(Path.Combine(world.Home, Own, "b", "a")));

        using var rest = world.Rest();
        var ownOfA = await rest.GetFolderAsync("notes@a");
        Assert.Equal(Path.Combine(world.Home, Own, "a"), ownOfA!.Path);
        Assert.Equal(2, ownOfA.Devices!.Count);
        Assert.Null(await rest.GetFolderAsync(Own));

        var folders = await world.CliJsonAsync("sync", "folders");
        Assert.All(folders["folders"]!.AsArray().SelectMany(f => f!["devboxes"]!.AsArray()), link => Assert.True((bool)link!["shared"]!));

        // Pairing again changes nothing; unpair --folder drops only a's own folder and leaves b's and the shared one.
        var again = await world.CliJsonAsync(a.PairArguments());
        Assert.False((bool)again["changed"]!);
        await world.CliJsonAsync("sync", "unpair", "a", "--folder", Own);
        Assert.Null(await rest.GetFolderAsync("notes@a"));
        Assert.NotNull(await rest.GetFolderAsync("notes@b"));
        Assert.Contains((await rest.GetFolderAsync(EndToEndWorld.Folder))!.Devices!, d => d.DeviceId == (string)again["deviceId"]!);
    }

    private static async Task WriteAsync(TestDevbox box, string path, string content) =>
        (await box.Devbox.ExecAsync("dev", ["sh", "-c", "printf %s \"$2\" > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"", "sh", path, content])).EnsureSuccess();

    private static async Task<string?> ReadAsync(TestDevbox box, string path)
    {
        var result = await box.Devbox.ExecAsync("dev", "cat", path);
        return result.Succeeded ? result.StandardOutput : null;
    }
}
