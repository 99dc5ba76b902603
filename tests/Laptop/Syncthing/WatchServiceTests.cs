using System.Runtime.CompilerServices;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Processes;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Syncthing;

/// <summary>
/// The `sync watch` service's unit file and the systemctl calls around it. systemctl is recorded, not run: the test
/// machine's user manager is not the laptop's (the unit text itself is checked by the golden file).
/// </summary>
public sealed class WatchServiceTests : IDisposable
{
    private readonly TempDirectory home = new();
    private readonly RecordingRunner systemctl = new();

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path, Processes = systemctl, SelfCommand = ["/usr/local/bin/thopter"] };

    [Fact]
    public void Render_matches_the_golden_unit() =>
        Assert.Equal(File.ReadAllText(GoldenPath("thopter-watch.service")), WatchService.Render(["/usr/local/bin/thopter"]));

    [Fact]
    public void Render_quotes_a_dotnet_invocation_with_blanks() =>
        Assert.Contains("ExecStart=/usr/bin/dotnet \"/opt/my tools/thopter.dll\" sync watch\n",
            WatchService.Render(["/usr/bin/dotnet", "/opt/my tools/thopter.dll"]), StringComparison.Ordinal);

    [Fact]
    public async Task Install_writes_enables_and_starts_then_uninstall_removes_and_both_are_idempotent()
    {
        await File.WriteAllTextAsync(home.Combine(".thopter.json"), """{"syncthing":{"deviceId":null,"folderName":"code"}}""");

        var first = await CliRun.RunAsync(Environment, "sync", "watch", "--install-service");
        var again = await CliRun.RunAsync(Environment, "sync", "watch", "--install-service");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(0, again.ExitCode);
        var unitPath = home.Combine(".config", "systemd", "user", WatchService.UnitName);
        Assert.Equal(WatchService.Render(["/usr/local/bin/thopter"]), File.ReadAllText(unitPath));
        Assert.Equal(
            [
                "--user daemon-reload", $"--user enable {WatchService.UnitName}", $"--user restart {WatchService.UnitName}",
                "--user daemon-reload", $"--user enable {WatchService.UnitName}", $"--user start {WatchService.UnitName}",
            ],
            systemctl.Calls);

        systemctl.Calls.Clear();
        var removed = await CliRun.RunAsync(Environment, "sync", "watch", "--uninstall-service");
        var removedAgain = await CliRun.RunAsync(Environment, "sync", "watch", "--uninstall-service");

        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(0, removedAgain.ExitCode);
        Assert.False(File.Exists(unitPath));
        Assert.Equal([$"--user disable --now {WatchService.UnitName}", "--user daemon-reload"], systemctl.Calls);
    }

    [Fact]
    public async Task A_failing_systemctl_is_a_clear_error()
    {
        await File.WriteAllTextAsync(home.Combine(".thopter.json"), """{"syncthing":{"folderName":"code"}}""");
        systemctl.Fail = true;

        var result = await CliRun.RunAsync(Environment, "sync", "watch", "--install-service");

        Assert.Equal(ExitCodes.FileSystem, result.ExitCode);
        Assert.Contains("Failed to connect to bus", result.Error, StringComparison.Ordinal);
        Assert.Contains("fix:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_before_init_says_to_run_init_and_both_flags_are_refused()
    {
        var watch = await CliRun.RunAsync(Environment, "sync", "watch");
        var both = await CliRun.RunAsync(Environment, "sync", "watch", "--install-service", "--uninstall-service");

        Assert.Equal(ExitCodes.NotInitialized, watch.ExitCode);
        Assert.Contains("thopter sync init", watch.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, both.ExitCode);
        Assert.Empty(systemctl.Calls);
    }

    private static string GoldenPath(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden", name);

    private sealed class RecordingRunner : IProcessRunner
    {
        public List<string> Calls { get; } = [];

        public bool Fail { get; set; }

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
        {
            Assert.Equal("systemctl", spec.FileName);
            Calls.Add(string.Join(' ', spec.Arguments));
            return Task.FromResult(Fail
                ? new ProcessResult(1, string.Empty, "Failed to connect to bus: No medium found", TimeSpan.Zero)
                : new ProcessResult(0, string.Empty, string.Empty, TimeSpan.Zero));
        }
    }
}
