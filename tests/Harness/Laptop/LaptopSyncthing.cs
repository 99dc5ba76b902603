using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Xunit;

namespace Thopter.Tests.Harness.Laptop;

/// <summary>
/// The laptop's SyncThing for a test: the real binary on a fresh temporary home (own identity,
/// GUI and sync on free 127.0.0.1 ports, discovery/relays/NAT/telemetry/auto-upgrade off, see
/// <see cref="SyncthingTestHome"/>), plus a folder root for synced folders. Disposing stops it and
/// deletes the whole temporary directory.
/// </summary>
public sealed class LaptopSyncthing : IAsyncDisposable
{
    private LaptopSyncthing(string root, SyncthingTestHome home, SyncthingProcess process)
    {
        Root = root;
        Home = home;
        Process = process;
    }

    /// <summary>The temporary directory holding the home (Root/home) and synced folders (Root/folders).</summary>
    public string Root { get; }

    public SyncthingTestHome Home { get; }

    public SyncthingProcess Process { get; private set; }

    public string HomeDir => Home.HomeDir;

    public string FoldersDir => Path.Combine(Root, "folders");

    public DeviceId DeviceId => Home.DeviceId;

    /// <summary>The REST API's base address, http://127.0.0.1:PORT/.</summary>
    public Uri RestAddress => Process.BaseAddress;

    /// <summary>For the code under test only: never print it.</summary>
    public string ApiKey => Home.ApiKey;

    /// <summary>A REST client with X-API-Key set.</summary>
    public HttpClient Client => Process.Client;

    /// <summary>Writes a fresh home, lets <paramref name="configure"/> edit its config.xml, starts SyncThing and waits until its REST API answers.</summary>
    public static Task<LaptopSyncthing> StartAsync(string name = "laptop", Action<SyncthingConfigDocument>? configure = null, CancellationToken cancellationToken = default) =>
        StartAsync(SyncthingBinary.Default, name, configure, cancellationToken);

    /// <summary>The same with another release of the version matrix: its config version, its binary.</summary>
    public static async Task<LaptopSyncthing> StartAsync(SyncthingBinary syncthing, string name = "laptop", Action<SyncthingConfigDocument>? configure = null, CancellationToken cancellationToken = default)
    {
        var root = Directory.CreateTempSubdirectory("thopter-laptop-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "folders"));
            var home = SyncthingTestHome.Create(Path.Combine(root, "home"), name, syncthing.Version);
            if (configure is not null)
            {
                home.EditConfig(configure);
            }

            var process = await SyncthingProcess.StartAsync(syncthing, home.HomeDir, cancellationToken: cancellationToken);
            return new LaptopSyncthing(root, home, process);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>Stops SyncThing and starts it again on the same home (e.g. after editing config.xml offline).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await Process.DisposeAsync();
        Process = await SyncthingProcess.StartAsync(Process.Syncthing, HomeDir, cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    public override string ToString() => Home.ToString();
}

/// <summary>A laptop SyncThing shared by a test class; only for tests that leave its config as they found it.</summary>
public sealed class LaptopSyncthingFixture : IAsyncLifetime
{
    private LaptopSyncthing? laptop;

    public LaptopSyncthing Laptop => laptop ?? throw new InvalidOperationException("the laptop SyncThing fixture has not started");

    public async Task InitializeAsync() => laptop = await LaptopSyncthing.StartAsync();

    public async Task DisposeAsync()
    {
        if (laptop is not null)
        {
            await laptop.DisposeAsync();
        }
    }
}
