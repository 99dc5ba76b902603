using Thopter.Shared.Devices;
using Thopter.Shared.Identity;
using Thopter.Shared.Processes;
using Thopter.Tests.Harness;
using Xunit;

namespace Thopter.Tests.Shared.Identity;

/// <summary>Our device ID computation against the real SyncThing binary, both directions.</summary>
[Trait("Category", "Integration")]
public sealed class SyncthingAgreesOnDeviceIdTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("thopter-stid-");
    private readonly ProcessRunner _runner = new();

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Ids_of_identities_syncthing_generates_match_ours()
    {
        for (var i = 0; i < 6; i++)
        {
            var home = Path.Combine(_root.FullName, $"st{i}");
            var generate = await Run(SyncthingProcess.Binary, "generate", "--home", home, "--skip-port-probing");
            Assert.True(generate.Succeeded, generate.StandardError + generate.StandardOutput);

            var ours = SyncthingIdentity.Load(home).DeviceId;

            Assert.Equal(await SyncthingsIdOf(home), ours);
        }
    }

    [Fact]
    public async Task Syncthing_prints_the_id_we_compute_for_identities_we_generate()
    {
        for (var i = 0; i < 5; i++)
        {
            var home = Path.Combine(_root.FullName, $"ours{i}");
            var identity = SyncthingIdentity.Generate(home);

            Assert.Equal(identity.DeviceId, await SyncthingsIdOf(home));
        }
    }

    /// <summary>SyncThing 2.x's Ed25519 identities: the 1.x binaries here run them too, and print the ID we compute.</summary>
    [Theory]
    [InlineData(SyncthingProcess.Binary)]
    [InlineData(Syncthing1295)]
    public async Task Syncthing_prints_the_id_we_compute_for_2x_identities(string binary)
    {
        Assert.True(File.Exists(binary), $"{binary} is missing: run scripts/bootstrap.sh");
        for (var i = 0; i < 3; i++)
        {
            var home = Path.Combine(_root.FullName, $"v2-{i}");
            await SyncthingV2Home.GenerateAsync(home);

            Assert.Equal(SyncthingIdentity.Load(home).DeviceId, await SyncthingsIdOf(home, binary));
        }
    }

    private const string Syncthing1295 = "/opt/thopter-test/syncthing-1.29.5/syncthing";

    private async Task<DeviceId> SyncthingsIdOf(string home, string binary = SyncthingProcess.Binary)
    {
        var result = await Run(binary, "serve", "--home", home, "--device-id");
        Assert.True(result.Succeeded, result.StandardError + result.StandardOutput);
        var printed = result.StandardOutput.Trim();
        Assert.Matches("^([A-Z2-7]{7}-){7}[A-Z2-7]{7}$", printed);
        var id = DeviceId.Parse(printed);
        Assert.Equal(printed, id.ToString());
        return id;
    }

    private Task<ProcessResult> Run(string binary, params string[] arguments) =>
        _runner.RunAsync(new ProcessSpec(binary, arguments)
        {
            Environment = new Dictionary<string, string?> { ["STNODEFAULTFOLDER"] = "1", ["STNOUPGRADE"] = "1" },
            Timeout = TimeSpan.FromSeconds(60),
        });
}
