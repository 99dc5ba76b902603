using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.ThopterConfig;
using Thopter.Tests.Harness;
using Thopter.Tests.Shared;
using Thopter.Tests.Laptop.Daemon;
using Xunit;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>
/// init and clear read, change and save ~/.thopter.json under the lock pair and unpair hold (~/.thopter.json.lock),
/// so a devbox a concurrent pair records is never dropped. The test holds the lock the way pair does, writes a devbox
/// entry as pair would, and checks the command waited and kept it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SettingsLockTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);
    private readonly TempDirectory home = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // init (or pair) started this HOME's daemon.
        await DaemonHome.StopDaemonAsync(Environment);
        home.Dispose();
    }

    private CliEnvironment Environment => new() { Home = home.Path };

    private ThopterConfigFile Config => new(home.Combine(".thopter.json"));

    [Fact]
    public async Task Init_waits_for_a_pair_holding_the_lock_and_keeps_the_devbox_it_recorded()
    {
        var st = SyncthingTestHome.Create(home.Combine(".local", "state", "syncthing"), "laptop");
        await using var process = await SyncthingProcess.StartAsync(st.HomeDir);
        Assert.Equal(0, (await CliRun.RunAsync(Environment, "sync", "init", "--folder", "code")).ExitCode);

        Task<CliResult> init;
        using (await Config.LockAsync(TimeSpan.FromSeconds(10)))
        {
            init = CliRun.RunAsync(Environment, "sync", "init", "--folder", "code");
            await Task.Delay(Patience);
            Assert.False(init.IsCompleted, "init did not wait for the settings lock");
            RecordDevbox("box1");
        }

        var result = await init;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("BOX1", (string)Settings()["syncthing"]!["devboxes"]!["box1"]!["deviceId"]!);
    }

    [Fact]
    public async Task Clear_waits_for_a_pair_holding_the_lock()
    {
        File.WriteAllText(home.Combine(".thopter.json"), """{"other": 1, "syncthing": {"deviceId": "X", "folderName": "code"}}""");

        Task<CliResult> clear;
        using (await Config.LockAsync(TimeSpan.FromSeconds(10)))
        {
            clear = CliRun.RunAsync(Environment, "sync", "clear");
            await Task.Delay(Patience);
            Assert.False(clear.IsCompleted, "clear did not wait for the settings lock");
            Assert.NotNull(Settings()["syncthing"]);
        }

        Assert.Equal(0, (await clear).ExitCode);
        Assert.Null(Settings()["syncthing"]);
        Assert.Equal(1, (int)Settings()["other"]!);
    }

    private JsonNode Settings() => JsonNode.Parse(File.ReadAllText(home.Combine(".thopter.json")))!;

    /// <summary>What pair saves under the lock: its devbox entry, from a fresh read.</summary>
    private void RecordDevbox(string name)
    {
        var settings = Config.Load();
        settings.Devboxes[name] = new DevboxEntry { DeviceId = "BOX1", Transport = ["ssh", name] };
        Config.Save(settings);
    }
}
