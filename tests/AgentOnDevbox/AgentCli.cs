using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// Drives the real AOT thopter-agent (/usr/local/bin/thopter-agent in the image) inside a devbox as user dev, installing
/// SyncThing from the host's <see cref="LocalReleaseMirror"/> over 127.0.0.1. Each instance owns its own free loopback
/// ports (devboxes share the host network), and every SyncThing it sets up is --isolated.
/// </summary>
internal sealed class AgentCli(Devbox devbox, LocalReleaseMirror mirror, DeviceId laptop)
{
    public const string Home = "/home/dev";
    public const string SyncthingHome = Home + "/.local/state/syncthing";
    public const string ConfigPath = SyncthingHome + "/config.xml";
    public const string Unit = "thopter-syncthing.service";

    public Devbox Devbox { get; } = devbox;

    public DeviceId Laptop { get; } = laptop;

    public int GuiPort { get; private set; } = FreePort.Next();

    public int ListenPort { get; private set; } = FreePort.Next();

    public int LaptopPort { get; } = FreePort.Next();

    public static async Task<AgentCli> PrepareAsync(Devbox devbox, LocalReleaseMirror mirror)
    {
        await IsolatedAgent.InstallMirrorKeyAsync(devbox, mirror);
        return new AgentCli(devbox, mirror, DeviceId.FromBytes(RandomNumberGenerator.GetBytes(DeviceId.ByteLength)));
    }

    /// <summary>A clone shares the disk but not the host ports: it gets its own.</summary>
    public AgentCli ForClone(Devbox clone) => new(clone, mirror, Laptop);

    public IReadOnlyList<string> SetupArguments(string folder = "code") =>
    [
        "setup", "--laptop-device-id", Laptop.ToString(), "--folder", folder,
        .. IsolatedAgent.SetupArguments(ListenPort, GuiPort, $"tcp://127.0.0.1:{LaptopPort}", mirror),
    ];

    public Task<ExecResult> RunAsync(IEnumerable<string> arguments, bool withUserBus = true) =>
        Devbox.ExecAsync("dev", ["thopter-agent", .. arguments], new ExecOptions { WithUserBus = withUserBus });

    public Task<ExecResult> RunAsync(params string[] arguments) => RunAsync(arguments, true);

    /// <summary>Runs setup, asserts exit 0 and returns its JSON (asserting stdout is exactly one document).</summary>
    public async Task<JsonElement> SetupAsync(bool withUserBus = true, string folder = "code")
    {
        var result = await RunAsync(SetupArguments(folder), withUserBus);
        Assert.True(result.ExitCode == 0, $"setup exited {result.ExitCode}\nstdout: {result.StandardOutput}\nstderr: {result.StandardError}");
        return Json(result);
    }

    public static JsonElement Json(ExecResult result)
    {
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    public static void AssertError(ExecResult result, string code, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode} ({code}), got {result.ExitCode}\nstdout: {result.StandardOutput}\nstderr: {result.StandardError}");
        var error = Json(result).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("fix").GetString()));
    }

    public async Task<SyncthingConfigDocument> ConfigAsync() => SyncthingConfigDocument.Parse(await Devbox.ReadFileAsync(ConfigPath));

    public async Task<string> Sha256Async(string path) =>
        (await Devbox.ExecAsync("dev", "sha256sum", path)).EnsureSuccess().StandardOutput.Split(' ')[0];

    /// <summary>
    /// Mode and sha256 of every file under the home, except SyncThing's own database and logs (they change while it
    /// runs) and the installer's empty lock file (install creates it before downloading and leaves it, by design).
    /// </summary>
    public async Task<string> HomeFingerprintAsync()
    {
        const string Skip = "-path ./.local/state/syncthing/index-v0.14.0.db -prune -o -path ./.local/lib/thopter/syncthing/.lock -prune -o -name '*.log' -prune -o -type f";
        return (await Devbox.ShellAsync("dev", $"cd {Home} && find . {Skip} -printf '%m %p\\n' | sort && find . {Skip} -print0 | sort -z | xargs -0 -r sha256sum"))
            .EnsureSuccess().StandardOutput;
    }

    /// <summary>What the installed SyncThing itself says the identity in its home is.</summary>
    public async Task<DeviceId> SyncthingReportedIdAsync() =>
        DeviceId.Parse((await Devbox.ExecAsync("dev", $"{Home}/.local/lib/thopter/syncthing/current/syncthing", "serve", $"--home={SyncthingHome}", "--device-id"))
            .EnsureSuccess().StandardOutput.Trim());

    public async Task<string> UnitMainPidAsync() =>
        (await Devbox.ExecAsync("dev", "systemctl", "--user", "show", "-p", "MainPID", "--value", Unit)).EnsureSuccess().StandardOutput.Trim();

    public async Task<bool> UnitActiveAsync() =>
        (await Devbox.ExecAsync("dev", "systemctl", "--user", "is-active", Unit)).StandardOutput.Trim() == "active";

    /// <summary>`status` as JSON and whether it said healthy (exit 0).</summary>
    public async Task<(bool Healthy, JsonElement Json)> StatusAsync(bool withUserBus = true)
    {
        var result = await RunAsync(["status"], withUserBus);
        return (result.ExitCode == 0, Json(result));
    }

    /// <summary>Wall time of one agent run measured inside the devbox (no docker exec overhead), with its user+sys CPU.</summary>
    public async Task<(double WallMs, double CpuMs)> TimeInsideAsync(IEnumerable<string> arguments)
    {
        var quoted = string.Join(' ', arguments.Select(a => $"'{a}'"));
        var result = await Devbox.ShellAsync("dev", $"TIMEFORMAT='%3R %3U %3S'; {{ time thopter-agent {quoted} >/dev/null; }} 2>&1 | tail -1");
        var parts = result.EnsureSuccess().StandardOutput.Trim().Split(' ');
        var numbers = parts.Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (numbers[0] * 1000, (numbers[1] + numbers[2]) * 1000);
    }

    public static async Task<TimeSpan> TimeUntilAsync(string what, Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await Thopter.Shared.Timing.Wait.UntilAsync(what, _ => condition(), TimeSpan.FromMilliseconds(100), timeout);
        return clock.Elapsed;
    }
}
