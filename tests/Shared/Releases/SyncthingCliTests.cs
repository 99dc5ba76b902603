using Thopter.Shared.Identity;
using Thopter.Shared.Processes;
using Thopter.Shared.Releases;
using Thopter.Tests.Harness;
using Xunit;

namespace Thopter.Tests.Shared.Releases;

/// <summary>
/// SyncThing's command line per major version. 1.19.2 and 1.29.5 run here; 2.x's is pinned from cmd/syncthing at v2.1.3
/// (kong: DeviceID and Generate are subcommands, --home is a top-level flag, generate has --no-port-probing).
/// </summary>
public sealed class SyncthingCliTests : IDisposable
{
    private const string Syncthing1295 = "/opt/thopter-test/syncthing-1.29.5/syncthing";
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("thopter-cli-");

    public void Dispose() => root.Delete(recursive: true);

    [Theory]
    [InlineData("v2.1.3")]
    [InlineData("v2.0.0-rc.1")]
    [InlineData("syncthing v2.1.3 \"Hafnium Hornet\" (go1.25.1 linux-amd64)")]
    public void Syncthing_2_gets_its_subcommands_and_flags(string version)
    {
        Assert.Equal(["device-id", "--home=/h"], SyncthingCli.DeviceId(version, "/h"));
        Assert.Equal(["generate", "--home=/h", "--no-port-probing"], SyncthingCli.Generate(version, "/h"));
        Assert.Equal(["serve", "--no-browser", "--no-restart", "--log-format-timestamp=", "--home=/h"], SyncthingCli.Serve(version, "/h"));
    }

    [Theory]
    [InlineData("v1.19.2")]
    [InlineData("v1.29.5")]
    [InlineData("external-v1.19.2")]
    [InlineData(null)]
    public void Syncthing_1_keeps_its_flags(string? version)
    {
        Assert.Equal(["serve", "--home=/h", "--device-id"], SyncthingCli.DeviceId(version, "/h"));
        Assert.Equal(["generate", "--home=/h", "--skip-port-probing"], SyncthingCli.Generate(version, "/h"));
        Assert.Equal(["serve", "--no-browser", "--no-restart", "--logflags=0", "--home=/h"], SyncthingCli.Serve(version, "/h"));
    }

    /// <summary>The 1.x command lines against the real binaries: generate a home, then read its ID back.</summary>
    [Theory]
    [Trait("Category", "Integration")]
    [InlineData(SyncthingProcess.Binary, "v1.19.2")]
    [InlineData(Syncthing1295, "v1.29.5")]
    public async Task Real_1x_binaries_accept_them(string binary, string version)
    {
        Assert.True(File.Exists(binary), $"{binary} is missing: run scripts/bootstrap.sh");
        var home = Path.Combine(root.FullName, version);
        var runner = new ProcessRunner();
        var environment = new Dictionary<string, string?> { ["STNODEFAULTFOLDER"] = "1", ["STNOUPGRADE"] = "1" };

        var generate = await runner.RunAsync(new ProcessSpec(binary, SyncthingCli.Generate(version, home)) { Environment = environment, Timeout = TimeSpan.FromSeconds(60) });
        Assert.True(generate.Succeeded, generate.StandardError + generate.StandardOutput);
        var deviceId = await runner.RunAsync(new ProcessSpec(binary, SyncthingCli.DeviceId(version, home)) { Environment = environment, Timeout = TimeSpan.FromSeconds(60) });
        Assert.True(deviceId.Succeeded, deviceId.StandardError + deviceId.StandardOutput);

        Assert.Equal(SyncthingIdentity.Load(home).DeviceId.ToString(), deviceId.StandardOutput.Trim());
    }
}
