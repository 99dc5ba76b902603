using System.Globalization;
using System.Text.Json;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.Network;
using Thopter.Tests.Harness.ReleaseMirror;

namespace Thopter.Bench.Rig;

/// <summary>
/// A devbox (tests/Harness Devbox: systemd container on the host network) driven through the real AOT thopter-agent
/// as user dev, with its own free 127.0.0.1 ports. SyncThing is always set up --isolated (no discovery, relays, NAT).
/// </summary>
public sealed class DevboxNode : IAsyncDisposable
{
    public const string Folder = "code";
    public const string FolderPath = "/home/dev/code";
    private const string ConfigPath = "/home/dev/.local/state/syncthing/config.xml";

    private readonly LocalReleaseMirror mirror;
    private SyncthingRestClient? rest;

    private DevboxNode(Devbox devbox, LocalReleaseMirror mirror)
    {
        Devbox = devbox;
        this.mirror = mirror;
    }

    public Devbox Devbox { get; }

    public int GuiPort { get; } = FreePort.Next();

    public int ListenPort { get; } = FreePort.Next();

    public DeviceId? DeviceId { get; private set; }

    public SyncthingRestClient Rest => rest ?? throw new InvalidOperationException($"{Devbox.Name}: SyncThing is not set up yet");

    public string Name => Devbox.Hostname;

    /// <summary>The devbox's own network namespace (/run/netns/NAME) when it is not on the host network: its REST API is reached from inside it.</summary>
    public string? Netns { get; set; }

    /// <summary>Starts a devbox, gives it the mirror's signing key, and (optionally) installs SyncThing as a golden image would have it.</summary>
    /// <param name="options">Devbox options besides the bench's label (default: the harness's, on the host network).</param>
    public static async Task<DevboxNode> StartAsync(LocalReleaseMirror mirror, bool install, CancellationToken ct, DevboxOptions? options = null)
    {
        var devbox = await Devbox.StartAsync((options ?? new DevboxOptions()).WithLabel("thopter.bench", "1"), cancellationToken: ct);
        try
        {
            await IsolatedAgent.InstallMirrorKeyAsync(devbox, mirror, ct);
            var node = new DevboxNode(devbox, mirror);
            if (install)
            {
                (await node.AgentAsync(["install", .. IsolatedAgent.MirrorArguments(mirror)], ct)).EnsureSuccess();
            }

            return node;
        }
        catch
        {
            await devbox.DisposeAsync();
            throw;
        }
    }

    public IReadOnlyList<string> SetupArguments(DeviceId laptop, int laptopListenPort) =>
    [
        "setup", "--laptop-device-id", laptop.ToString(), "--folder", Folder,
        .. IsolatedAgent.SetupArguments(ListenPort, GuiPort, $"tcp://127.0.0.1:{laptopListenPort}", mirror),
    ];

    public Task<ExecResult> AgentAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        Devbox.ExecAsync("dev", ["thopter-agent", .. arguments], null, ct);

    /// <summary>
    /// Runs setup timed inside the devbox (bash's `time`: wall, and the agent's user+system CPU; SyncThing runs under
    /// systemd, not as the agent's child, so its CPU is not counted), then connects to the SyncThing it set up.
    /// </summary>
    public async Task<AgentTiming> SetupAsync(DeviceId laptop, int laptopListenPort, CancellationToken ct)
    {
        const string Script = "TIMEFORMAT='%3R %3U %3S'; { time thopter-agent \"$@\" >/tmp/setup.json 2>/tmp/setup.err; } 2>/tmp/setup.time; rc=$?; "
            + "if [ $rc -ne 0 ]; then cat /tmp/setup.json /tmp/setup.err >&2; exit $rc; fi; tail -1 /tmp/setup.time; cat /tmp/setup.json";
        var result = (await Devbox.ExecAsync("dev", ["bash", "-c", Script, "bash", .. SetupArguments(laptop, laptopListenPort)], null, ct)).EnsureSuccess();
        var lines = result.StandardOutput.Split('\n', 2);
        var times = lines[0].Trim().Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture) * 1000).ToArray();
        using var json = JsonDocument.Parse(lines[1]);
        DeviceId = Thopter.Shared.Devices.DeviceId.Parse(json.RootElement.GetProperty("deviceId").GetString()!);
        await ConnectAsync(ct);
        var steps = json.RootElement.TryGetProperty("timings", out var timings) && timings.ValueKind == JsonValueKind.Object
            ? string.Join(", ", timings.EnumerateObject().Select(t => $"{t.Name} {t.Value}"))
            : "(the agent reported no step timings)";
        return new AgentTiming(times[0], times[1] + times[2], steps);
    }

    /// <summary>Starts or stops the accelerator the agent installed beside SyncThing (thopter-accelerator.service).</summary>
    public async Task SetAcceleratorAsync(bool running, CancellationToken ct) =>
        (await Devbox.ExecAsync("dev", ["systemctl", "--user", running ? "start" : "stop", "thopter-accelerator.service"], null, ct)).EnsureSuccess();

    /// <summary>A REST client for the SyncThing set up on this devbox (by the bench or by `thopter sync pair`), key from its config.xml.</summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        if (rest is null)
        {
            var config = SyncthingConfigDocument.Parse(await Devbox.ReadFileAsync(ConfigPath, "dev", ct));
            rest = new SyncthingRestClient(
                new Uri($"http://127.0.0.1:{GuiPort}/"), new SyncthingApiKey(config.Gui!.ApiKey), Netns is null ? null : NamespaceSockets.HttpHandler(Netns));
        }

        DeviceId ??= Thopter.Shared.Devices.DeviceId.Parse((await rest.GetSystemStatusAsync(ct)).MyId);
    }

    public async ValueTask DisposeAsync()
    {
        rest?.Dispose();
        await Devbox.DisposeAsync();
    }
}

/// <summary>One agent run timed inside the devbox, with the agent's own per-step timings ("name ms, ...").</summary>
public sealed record AgentTiming(double WallMs, double CpuMs, string Steps);
