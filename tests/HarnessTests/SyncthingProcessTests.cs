using System.Net;
using System.Net.Sockets;
using Thopter.Tests.Harness;
using Xunit;

namespace Thopter.Tests.HarnessTests;

[Trait("Category", "Integration")]
public sealed class SyncthingProcessTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("thopter-stproc-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Starts_answers_with_the_api_key_and_stops_on_dispose()
    {
        var home = SyncthingTestHome.Create(_root.FullName, "solo");

        var st = await SyncthingProcess.StartAsync(home.HomeDir);
        int pid;
        await using (st)
        {
            pid = st.ProcessId;
            using var anonymous = new HttpClient();
            using var denied = await anonymous.GetAsync(new Uri(home.BaseAddress, "rest/system/status"));
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            var status = await st.Client.GetStringAsync(new Uri("rest/system/status", UriKind.Relative));
            Assert.Contains(home.DeviceId.ToString(), status, StringComparison.Ordinal);
            Assert.Contains("My ID: " + home.DeviceId.Short, st.Log, StringComparison.Ordinal);
        }

        Assert.True(st.HasExited);
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }

    [Fact]
    public async Task A_syncthing_that_cannot_start_fails_fast_with_its_log()
    {
        var home = SyncthingTestHome.Create(_root.FullName, "blocked");
        using var squatter = new TcpListener(IPAddress.Loopback, home.GuiPort);
        squatter.Start();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => SyncthingProcess.StartAsync(home.HomeDir, TimeSpan.FromSeconds(8)));

        Assert.Contains("syncthing log", error.Message, StringComparison.Ordinal);
        Assert.Contains(home.GuiPort.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(home.ApiKey, error.Message, StringComparison.Ordinal);
    }
}
