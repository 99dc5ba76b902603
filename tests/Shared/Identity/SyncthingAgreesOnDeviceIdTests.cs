using Thopter.Shared.Devices;
using Thopter.Shared.Identity;
using Thopter.Shared.Processes;
using Thopter.Tests.Harness;
using Xunit;

namespace Thopter.Tests.Shared.Identity;

/// <summary>Our device ID computation against the real SyncThing binary of every release of the version matrix, both directions.</summary>
[Trait("Category", "Integration")]
public sealed class SyncthingAgreesOnDeviceIdTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("thopter-stid-");
    private readonly ProcessRunner _runner = new();

    public void Dispose() => _root.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(SyncthingBinary.Matrix), MemberType = typeof(SyncthingBinary))]
    public async Task Ids_of_identities_syncthing_generates_match_ours(string version)
    {
        var syncthing = SyncthingBinary.Of(version);
        for (var i = 0; i < 6; i++)
        {
            var home = Path.Combine(_root.FullName, $"st{i}");
            var generate = await Run(syncthing, "generate", "--home", home, "--skip-port-probing");
            Assert.True(generate.Succeeded, generate.StandardError + generate.StandardOutput);

            var ours = SyncthingIdentity.Load(home).DeviceId;

            Assert.Equal(await SyncthingsIdOf(syncthing, home), ours);
        }
    }

    [Theory]
    [MemberData(nameof(SyncthingBinary.Matrix), MemberType = typeof(SyncthingBinary))]
    public async Task Syncthing_prints_the_id_we_compute_for_identities_we_generate(string version)
    {
        var syncthing = SyncthingBinary.Of(version);
        for (var i = 0; i < 5; i++)
        {
            var home = Path.Combine(_root.FullName, $"ours{i}");
            var identity = SyncthingIdentity.Generate(home);

            Assert.Equal(identity.DeviceId, await SyncthingsIdOf(syncthing, home));
        }
    }

    /// <summary>SyncThing 2.x's Ed25519 identities: the 1.x binaries here run them too, and print the ID we compute.</summary>
    [Theory]
    [MemberData(nameof(SyncthingBinary.Matrix), MemberType = typeof(SyncthingBinary))]
    public async Task Syncthing_prints_the_id_we_compute_for_2x_identities(string version)
    {
        var syncthing = SyncthingBinary.Of(version);
        for (var i = 0; i < 3; i++)
        {
            var home = Path.Combine(_root.FullName, $"v2-{i}");
            await SyncthingV2Home.GenerateAsync(home);

            Assert.Equal(SyncthingIdentity.Load(home).DeviceId, await SyncthingsIdOf(syncthing, home));
        }
    }

    private async Task<DeviceId> SyncthingsIdOf(SyncthingBinary syncthing, string home)
    {
        var result = await Run(syncthing, "serve", "--home", home, "--device-id");
        Assert.True(result.Succeeded, result.StandardError + result.StandardOutput);
        var printed = result.StandardOutput.Trim();
        Assert.Matches("^([A-Z2-7]{7}-){7}[A-Z2-7]{7}$", printed);
        var id = DeviceId.Parse(printed);
        Assert.Equal(printed, id.ToString());
        return id;
    }

    private Task<ProcessResult> Run(SyncthingBinary syncthing, params string[] arguments) =>
        _runner.RunAsync(new ProcessSpec(syncthing.EnsureInstalled(), arguments)
        {
            Environment = new Dictionary<string, string?> { ["STNODEFAULTFOLDER"] = "1", ["STNOUPGRADE"] = "1" },
            Timeout = TimeSpan.FromSeconds(60),
        });
}
