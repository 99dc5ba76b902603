using System.Diagnostics;
using Thopter.Laptop.ThopterConfig;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.ThopterConfig;

/// <summary>A command killed between writing its temp file and the rename leaves it behind; the next save removes it.</summary>
public sealed class StaleTempFileTests : IDisposable
{
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Saving_removes_temp_files_of_writers_that_are_gone_and_keeps_a_live_ones()
    {
        using var dead = Process.Start(new ProcessStartInfo("true"))!;
        await dead.WaitForExitAsync();
        var stale = home.Combine($"..thopter.json.{dead.Id}.0123456789abcdef0123456789abcdef.tmp");
        var live = home.Combine($"..thopter.json.{Environment.ProcessId}.fedcba9876543210fedcba9876543210.tmp");
        var unrelated = home.Combine(".other.json.1.x.tmp");
        File.WriteAllText(stale, "{\"half\":");
        File.WriteAllText(live, "{");
        File.WriteAllText(unrelated, "x");

        new ThopterConfigFile(home.Combine(".thopter.json")).Save(new SyncSection { Folders = [new SyncFolder { Name = "code" }] });

        Assert.False(File.Exists(stale), "the dead writer's temp file is still there");
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(unrelated));
    }
}
