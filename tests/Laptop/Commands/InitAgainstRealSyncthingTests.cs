using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Ignore;
using Thopter.Shared.IO;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Laptop;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>
/// `thopter sync init` in-process against the real SyncThing binary living in the temp HOME's
/// ~/.local/state/syncthing, so the config.xml discovery, the API key and the folder registration
/// are all exercised for real.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InitAgainstRealSyncthingTests : IDisposable
{
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path, UseDaemon = false };

    [Fact]
    public async Task Init_finds_syncthing_registers_the_folder_and_a_second_run_changes_nothing()
    {
        var st = SyncthingTestHome.Create(home.Combine(".local", "state", "syncthing"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);
        using var client = new SyncthingRestClient(st.BaseAddress, new SyncthingApiKey(st.ApiKey));

        var first = await CliRun.RunAsync(Environment, "sync", "init", "--folder", "code");

        Assert.True(first.ExitCode == 0, first + "\n" + process.Describe("syncthing"));
        var folder = await client.GetFolderAsync("code");
        Assert.NotNull(folder);
        Assert.Equal(home.Combine("code"), folder!.Path);
        Assert.Equal("code", folder.Label);
        Assert.True(folder.FsWatcherEnabled);
        Assert.Equal(1, folder.FsWatcherDelayS);
        Assert.Equal(3600, folder.RescanIntervalS);
        Assert.Equal(StIgnore.Merge(null), File.ReadAllText(home.Combine("code", ".stignore")));
        var settings = JsonNode.Parse(File.ReadAllText(home.Combine(".thopter.json")))!["syncthing"]!;
        Assert.Equal(st.DeviceId.ToString(), (string)settings["deviceId"]!);
        Assert.DoesNotContain(st.ApiKey, File.ReadAllText(home.Combine(".thopter.json")), StringComparison.Ordinal);
        Assert.DoesNotContain(st.ApiKey, first.Output + first.Error, StringComparison.Ordinal);

        var settingsBytes = File.ReadAllBytes(home.Combine(".thopter.json"));
        var foldersBefore = await ConfigFoldersJson(st);
        var second = await CliRun.RunAsync(Environment, "sync", "init", "--folder", "code", "--json");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(settingsBytes, File.ReadAllBytes(home.Combine(".thopter.json")));
        Assert.Equal(foldersBefore, await ConfigFoldersJson(st));
        Assert.All(JsonNode.Parse(second.Output)!["changed"]!.AsObject(), pair => Assert.False((bool)pair.Value!, pair.Key));
    }

    [Fact]
    public async Task Explicit_syncthing_home_is_used_and_remembered()
    {
        var st = SyncthingTestHome.Create(home.Combine("elsewhere"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);

        var first = await CliRun.RunAsync(Environment, "sync", "init", "--syncthing-home", st.HomeDir, "--folder", "work");
        var second = await CliRun.RunAsync(Environment, "sync", "init");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains(st.DeviceId.ToString(), second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncThing_not_running_says_how_to_start_it_and_changes_nothing()
    {
        SyncthingTestHome.Create(home.Combine(".config", "syncthing"), "laptop");

        var result = await CliRun.RunAsync(Environment, "sync", "init", "--folder", "code");

        Assert.Equal(ExitCodes.SyncthingUnreachable, result.ExitCode);
        Assert.Contains("SyncThing is not running at http://127.0.0.1:", result.Error, StringComparison.Ordinal);
        Assert.Contains("syncthing serve", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(home.Combine(".thopter.json")));
        Assert.False(Directory.Exists(home.Combine("code")));
    }

    [Fact]
    public async Task Wrong_api_key_is_unauthorized()
    {
        var st = SyncthingTestHome.Create(home.Combine("st"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);
        AtomicFile.WriteText(home.Combine("key"), "notTheKey1234567890", AtomicFile.PrivateMode);

        var result = await CliRun.RunAsync(Environment, "sync", "init", "--api-url", st.BaseAddress.ToString(), "--api-key-file", home.Combine("key"));

        Assert.Equal(ExitCodes.SyncthingUnauthorized, result.ExitCode);
        Assert.DoesNotContain("notTheKey1234567890", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_thopter_did_not_set_up_is_never_moved_and_adopt_uses_it_where_it_is()
    {
        await using var laptop = await LaptopSyncthing.StartAsync();
        using var first = new TempDirectory();
        var firstInit = await CliRun.RunAsync(new CliEnvironment { Home = first.Path, UseDaemon = false }, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code");
        Assert.True(firstInit.ExitCode == 0, firstInit.ToString());
        var folders = await ConfigFoldersJson(laptop.Home);

        // A second HOME (another user, another checkout of thopter) on the same SyncThing.
        var second = await CliRun.RunAsync(Environment, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code");

        Assert.True(second.ExitCode == ExitCodes.OwnershipConflict, second.ToString());
        Assert.Contains($"already has a folder \"code\" (\"code\" at {first.Combine("code")})", second.Error, StringComparison.Ordinal);
        Assert.Contains("--adopt", second.Error, StringComparison.Ordinal);
        Assert.Equal(folders, await ConfigFoldersJson(laptop.Home));
        Assert.False(File.Exists(home.Combine(".thopter.json")));
        Assert.False(Directory.Exists(home.Combine("code")));

        var adopted = await CliRun.RunAsync(Environment, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code", "--adopt", "--json");

        Assert.True(adopted.ExitCode == 0, adopted.ToString());
        Assert.Equal(first.Combine("code"), (string)JsonNode.Parse(adopted.Output)!["folderPath"]!);
        Assert.Equal(folders, await ConfigFoldersJson(laptop.Home));
        Assert.Equal(first.Combine("code"), (string)JsonNode.Parse(File.ReadAllText(home.Combine(".thopter.json")))!["syncthing"]!["folders"]![0]!["path"]!);
        Assert.False(Directory.Exists(home.Combine("code")));
        Assert.Equal(0, (await CliRun.RunAsync(Environment, "sync", "init")).ExitCode);
        Assert.Equal(folders, await ConfigFoldersJson(laptop.Home));
    }

    [Fact]
    public async Task Doctor_fails_the_folder_when_syncthing_stopped_it_on_a_missing_folder_marker()
    {
        var st = SyncthingTestHome.Create(home.Combine(".local", "state", "syncthing"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);
        Assert.Equal(0, (await CliRun.RunAsync(Environment, "sync", "init", "--folder", "code")).ExitCode);
        using var client = new SyncthingRestClient(st.BaseAddress, new SyncthingApiKey(st.ApiKey));
        await Wait.UntilAsync("SyncThing to create the folder marker", async _ => Directory.Exists(home.Combine("code", ".stfolder")) && (await client.GetFolderStatusAsync("code")).State == "idle", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60));

        // What a folder moved away under SyncThing looks like: the path is there, its marker is not.
        Directory.Delete(home.Combine("code", ".stfolder"), recursive: true);
        await Wait.UntilAsync(
            "SyncThing to stop the folder",
            async _ =>
            {
                try
                {
                    await client.ScanAsync("code", []);
                }
                catch (SyncthingApiException)
                {
                    // The scan itself fails on the missing marker.
                }

                return (await client.GetFolderStatusAsync("code")).State == "error";
            },
            TimeSpan.FromMilliseconds(500),
            TimeSpan.FromSeconds(60));

        var doctor = await CliRun.RunAsync(Environment, "sync", "doctor", "--json");

        Assert.Equal(ExitCodes.ChecksFailed, doctor.ExitCode);
        var folder = JsonNode.Parse(doctor.Output)!["checks"]!.AsArray().Single(c => (string)c!["name"]! == "folder")!;
        Assert.Equal("fail", (string)folder["outcome"]!);
        Assert.Contains("marker", (string)folder["detail"]!, StringComparison.Ordinal);
    }

    private static async Task<string> ConfigFoldersJson(SyncthingTestHome st)
    {
        using var http = new HttpClient { BaseAddress = st.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", st.ApiKey);
        return await http.GetStringAsync(new Uri("rest/config/folders", UriKind.Relative));
    }
}
