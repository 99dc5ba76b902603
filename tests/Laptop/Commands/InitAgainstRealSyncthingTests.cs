using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Ignore;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness;
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
        File.WriteAllText(home.Combine("key"), "notTheKey1234567890");

        var result = await CliRun.RunAsync(Environment, "sync", "init", "--api-url", st.BaseAddress.ToString(), "--api-key-file", home.Combine("key"));

        Assert.Equal(ExitCodes.SyncthingUnauthorized, result.ExitCode);
        Assert.DoesNotContain("notTheKey1234567890", result.Error, StringComparison.Ordinal);
    }

    private static async Task<string> ConfigFoldersJson(SyncthingTestHome st)
    {
        using var http = new HttpClient { BaseAddress = st.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", st.ApiKey);
        return await http.GetStringAsync(new Uri("rest/config/folders", UriKind.Relative));
    }
}
