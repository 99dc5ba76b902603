using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Rest;
using Thopter.Tests.EndToEnd;
using Thopter.Tests.Harness;
using Thopter.Tests.Shared;
using Thopter.Tests.Laptop.Daemon;
using Xunit;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>
/// The real laptop SyncThing stops a folder whose .stfolder marker is gone ("folder marker missing"): `status` shows
/// the folder stopped with SyncThing's reason and the fix, and `doctor` fails its folder check with both, instead of
/// the devbox rows reading ok / 100 %.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FolderErrorsAgainstRealSyncthingTests : IAsyncLifetime
{
    private readonly TempDirectory home = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // init (or pair) started this HOME's daemon.
        await DaemonHome.StopDaemonAsync(Environment);
        home.Dispose();
    }

    private CliEnvironment Environment => new() { Home = home.Path };

    [Fact]
    public async Task A_missing_folder_marker_is_shown_by_status_and_fails_doctor_with_its_fix()
    {
        var st = SyncthingTestHome.Create(home.Combine(".local", "state", "syncthing"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);
        using var client = new SyncthingRestClient(st.BaseAddress, new SyncthingApiKey(st.ApiKey));
        Assert.Equal(0, (await CliRun.RunAsync(Environment, "sync", "init", "--folder", "code")).ExitCode);
        await Eventually.TrueAsync("the folder marker", () => Directory.Exists(home.Combine("code", ".stfolder")));

        Directory.Delete(home.Combine("code", ".stfolder"));
        await Eventually.TrueAsync("SyncThing to stop the folder", async () =>
        {
            try
            {
                await client.ScanAsync("code", []);
            }
            catch (SyncthingApiException)
            {
                // The scan itself is refused with the same reason once the marker is gone.
            }

            return (await client.GetFolderStatusAsync("code")).State == "error";
        });

        var status = await CliRun.RunAsync(Environment, "sync", "status", "--json");
        var human = await CliRun.RunAsync(Environment, "sync", "status");
        var doctor = await CliRun.RunAsync(Environment, "sync", "doctor", "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        var json = JsonNode.Parse(status.Output)!;
        Assert.Equal("error", (string?)json["folderState"]);
        Assert.Contains("marker missing", (string?)json["folderError"], StringComparison.Ordinal);
        Assert.Contains("mkdir " + home.Combine("code", ".stfolder"), (string?)json["folderFix"], StringComparison.Ordinal);
        Assert.Contains("STOPPED by SyncThing: folder marker missing", human.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ChecksFailed, doctor.ExitCode);
        var folderCheck = ((JsonArray)JsonNode.Parse(doctor.Output)!["checks"]!).Single(c => (string?)c!["name"] == "folder")!;
        Assert.Equal("fail", (string?)folderCheck["outcome"]);
        Assert.Contains("marker missing", (string?)folderCheck["detail"], StringComparison.Ordinal);
        Assert.Contains(".stfolder", (string?)folderCheck["fix"], StringComparison.Ordinal);
    }
}
