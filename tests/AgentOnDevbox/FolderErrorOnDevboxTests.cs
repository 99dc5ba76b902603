using System.Text.Json;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// An invalid .stignore in the devbox folder makes SyncThing stop the folder ("error"): `thopter-agent status` on the
/// real devbox then says so, with SyncThing's own reason and the fix, and exits unhealthy (47) instead of healthy.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FolderErrorOnDevboxTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_invalid_stignore_makes_status_report_the_folder_error_with_its_reason_and_exit_unhealthy()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);
        await agent.SetupAsync();
        var (healthyBefore, before) = await agent.StatusAsync();
        Assert.True(healthyBefore, before.ToString());

        await devbox.WriteFileAsync(AgentCli.Home + "/code/.stignore", "[\n", owner: "dev");

        // SyncThing's watcher sees the change and stops the folder; status reports it from then on.
        JsonElement status = default;
        var exitCode = 0;
        await Wait.UntilAsync(
            "status to report the folder in error",
            async _ =>
            {
                var result = await agent.RunAsync("status");
                exitCode = result.ExitCode;
                status = AgentCli.Json(result);
                return status.GetProperty("folders").EnumerateArray().Any(f => f.GetProperty("state").GetString() == "error");
            },
            TimeSpan.FromMilliseconds(500),
            TimeSpan.FromSeconds(90),
            () => Task.FromResult(status.ToString()));

        output.WriteLine(status.ToString());
        Assert.Equal(47, exitCode);
        Assert.False(status.GetProperty("healthy").GetBoolean());
        var folder = status.GetProperty("folders").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "code");
        Assert.Contains("invalid pattern", folder.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(".stignore", folder.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains(status.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("invalid pattern", StringComparison.Ordinal));
    }
}
