using Thopter.Shared.Processes;
using Xunit;

namespace Thopter.Tests.Agent.Commands;

/// <summary>The real AOT agent reads an identity the real SyncThing generated and agrees with SyncThing on its device ID.</summary>
[Trait("Category", "Integration")]
public sealed class DeviceIdIntegrationTests : IDisposable
{
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("thopter-device-id-it-");

    public void Dispose() => home.Delete(recursive: true);

    [Fact]
    public async Task Matches_what_syncthing_itself_reports()
    {
        var runner = new ProcessRunner();
        var stHome = Path.Combine(home.FullName, "st");
        (await runner.RunAsync(new ProcessSpec("syncthing", ["generate", "--home", stHome, "--skip-port-probing"]))).EnsureExit0();
        var expected = (await runner.RunAsync(new ProcessSpec("syncthing", ["serve", "--home", stHome, "--device-id"]))).EnsureExit0().StandardOutput.Trim();

        var viaFlag = await AgentBinary.RunAsync(home.FullName, "--device-id", "--home", stHome);
        var viaCommand = await AgentBinary.RunAsync(home.FullName, "device-id", "--home", stHome);

        Assert.Equal(0, viaFlag.ExitCode);
        Assert.Equal(expected, viaFlag.Output.Trim());
        Assert.Equal(expected, viaCommand.Output.Trim());
    }

    [Fact]
    public async Task Without_an_identity_it_exits_10_with_nothing_on_stdout()
    {
        var outcome = await AgentBinary.RunAsync(home.FullName, "--device-id", "--home", Path.Combine(home.FullName, "none"));

        Assert.Equal(10, outcome.ExitCode);
        Assert.Equal(string.Empty, outcome.Output);
        Assert.Contains("identity-missing", outcome.Error, StringComparison.Ordinal);
    }
}
