using Thopter.Laptop.Cli;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Pairing;

/// <summary>
/// Issue 18 item 4: `pair NEW --rename-from OLD` for a devbox that syncs an own folder (NAME@OLD at ~/NAME/OLD) is refused
/// before anything is touched (no transport, no SyncThing, no file), naming the folder and the fix.
/// </summary>
public sealed class PairRenameWithOwnFoldersTests : IDisposable
{
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Renaming_a_devbox_with_an_own_folder_is_refused_and_changes_nothing()
    {
        const string Laptop = "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG-HHHHHHH";
        const string Box = "BBBBBBB-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG-HHHHHHH";
        var written = """{"syncthing":{"deviceId":"LAPTOP","folders":[{"name":"code"},{"name":"notes","own":true}],"devboxes":{"old":{"deviceId":"BOX","transport":["false"]}}}}"""
            .Replace("LAPTOP", Laptop, StringComparison.Ordinal).Replace("BOX", Box, StringComparison.Ordinal);
        var config = Path.Combine(home.Path, ".thopter.json");
        File.WriteAllText(config, written);
        Directory.CreateDirectory(Path.Combine(home.Path, "notes", "old"));

        var result = await CliRun.RunAsync(new CliEnvironment { Home = home.Path, UseDaemon = false }, "sync", "pair", "new", "--rename-from", "old", "--no-wait");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("notes@old", result.Error);
        Assert.Contains("thopter sync unpair old --folder notes", result.Error);
        Assert.Equal(written, File.ReadAllText(config));
        Assert.False(Directory.Exists(Path.Combine(home.Path, "notes", "new")));
    }
}
