using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Thopter.Tests.Laptop;
using Thopter.Tests.Laptop.Daemon;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.EndToEnd;

/// <summary>The EndToEnd classes run one after another: each starts real devboxes and SyncThings, and the machine has 2 cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}

/// <summary>
/// A laptop and its devboxes, all real: a temporary HOME whose ~/.local/state/syncthing holds the laptop's real
/// SyncThing (loopback only, found by `thopter` the way it finds a user's), the release mirror the agents install from,
/// and devbox containers reached with the docker transport. `thopter` runs in-process against that HOME.
/// </summary>
public sealed class EndToEndWorld : IAsyncDisposable
{
    public const string Folder = "code";
    private readonly TempDirectory home;
    private readonly List<Devbox> devboxes = [];

    private EndToEndWorld(TempDirectory home, LocalReleaseMirror mirror, SyncthingTestHome laptopHome, SyncthingProcess laptop)
    {
        this.home = home;
        Mirror = mirror;
        LaptopHome = laptopHome;
        Laptop = laptop;
    }

    public LocalReleaseMirror Mirror { get; }

    public SyncthingTestHome LaptopHome { get; }

    public SyncthingProcess Laptop { get; private set; }

    public string Home => home.Path;

    public string LaptopFolder => Path.Combine(Home, Folder);

    /// <summary>The CLI as users run it; the daemon it starts is the built thopter, stopped when the world is disposed.</summary>
    public CliEnvironment Environment => new() { Home = Home, SelfCommand = DaemonHome.ThopterCommand, RuntimeDirectory = null };

    /// <summary>The laptop runs SyncThing <paramref name="laptopVersion"/>; the mirror serves every release of the version matrix.</summary>
    public static async Task<EndToEndWorld> StartAsync(string laptopVersion = SyncthingBinary.V1_19)
    {
        var mirror = await LocalReleaseMirror.StartAsync([.. SyncthingBinary.Versions]);
        var home = new TempDirectory();
        var st = SyncthingTestHome.Create(home.Combine(".local", "state", "syncthing"), "laptop", laptopVersion);
        var process = await SyncthingProcess.StartAsync(SyncthingBinary.Of(laptopVersion), st.HomeDir);
        return new EndToEndWorld(home, mirror, st, process);
    }

    public SyncthingRestClient Rest() => new(LaptopHome.BaseAddress, new SyncthingApiKey(LaptopHome.ApiKey));

    public Task<CliResult> CliAsync(params string[] args) => CliRun.RunAsync(Environment, args);

    public async Task<JsonNode> CliJsonAsync(params string[] args)
    {
        var result = await CliAsync([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, $"thopter {string.Join(' ', args)}: {result}\n{Laptop.Describe("laptop syncthing")}");
        return JsonNode.Parse(result.Output)!;
    }

    /// <summary>A devbox container with the mirror's signing key in place and its own loopback ports; its agent installs SyncThing <paramref name="syncthingVersion"/>.</summary>
    public async Task<TestDevbox> StartDevboxAsync(string name, string syncthingVersion = SyncthingBinary.V1_19)
    {
        var devbox = await Devbox.StartAsync(new DevboxOptions());
        lock (devboxes)
        {
            devboxes.Add(devbox);
        }

        await IsolatedAgent.InstallMirrorKeyAsync(devbox, Mirror);
        return new TestDevbox(name, devbox, this, syncthingVersion);
    }

    public void Adopt(Devbox devbox)
    {
        lock (devboxes)
        {
            devboxes.Add(devbox);
        }
    }

    public async Task StopLaptopAsync() => await Laptop.DisposeAsync();

    public async Task StartLaptopAsync() => Laptop = await SyncthingProcess.StartAsync(Laptop.Syncthing, LaptopHome.HomeDir);

    public async ValueTask DisposeAsync()
    {
        await CliRun.RunAsync(Environment, "sync", "daemon", "stop");
        await Task.WhenAll(devboxes.Select(d => d.DisposeAsync().AsTask()));
        await Laptop.DisposeAsync();
        await Mirror.DisposeAsync();
        await DaemonHome.StopDaemonAsync(Environment);
        home.Dispose();
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

/// <summary>One devbox as the tests pair it: docker transport, isolated agent on its own loopback ports, SyncThing <paramref name="syncthingVersion"/> from the mirror.</summary>
public sealed class TestDevbox(string name, Devbox devbox, EndToEndWorld world, string syncthingVersion = SyncthingBinary.V1_19)
{
    public const string FolderPath = "/home/dev/" + EndToEndWorld.Folder;

    public string Name { get; } = name;

    public Devbox Devbox { get; } = devbox;

    public int ListenPort { get; } = FreePort.Next();

    public int GuiPort { get; } = FreePort.Next();

    public string Transport => $"docker exec -u dev {Devbox.Name}";

    public string SyncthingVersion { get; } = syncthingVersion;

    public IReadOnlyList<string> AgentArgs =>
        IsolatedAgent.SetupArguments(ListenPort, GuiPort, world.LaptopHome.ListenAddress, world.Mirror, SyncthingVersion);

    /// <summary>`thopter sync pair` arguments; the agent arguments use --agent-arg=VALUE so values starting with "--" stay values.</summary>
    public string[] PairArguments(string? transport = null) =>
        ["sync", "pair", Name, "--transport", transport ?? Transport, "--timeout", "120", .. AgentArgs.Select(a => $"--agent-arg={a}")];

    /// <summary>Writes a file of the devbox's folder (the shared ~/code unless <paramref name="folder"/> names another) whole: temp + rename.</summary>
    public async Task WriteAsync(string relative, string content, string folder = FolderPath) =>
        (await Devbox.ExecAsync("dev", ["sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && printf %s \"$2\" > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"", "sh", $"{folder}/{relative}", content])).EnsureSuccess();

    /// <summary>A file of the devbox's folder (the shared ~/code unless <paramref name="folder"/> names another); null when it is not there.</summary>
    public async Task<string?> ReadAsync(string relative, string folder = FolderPath)
    {
        var result = await Devbox.ExecAsync("dev", "cat", $"{folder}/{relative}");
        return result.Succeeded ? result.StandardOutput : null;
    }
}
