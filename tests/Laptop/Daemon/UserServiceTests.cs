using System.Runtime.CompilerServices;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Daemon.Service;
using Thopter.Shared.Processes;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>
/// The daemon's service definitions and the service-manager calls around them. systemctl and launchctl are recorded,
/// not run: the test machine's user manager is not the laptop's (SystemdUnitUnderUserManagerTests runs the unit under a
/// real one), and macOS cannot run here, so the plist is checked by its golden file.
/// </summary>
public sealed class UserServiceTests : IDisposable
{
    private readonly TempDirectory home = new();
    private readonly RecordingRunner manager = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public void Systemd_unit_matches_the_golden_file() =>
        Assert.Equal(File.ReadAllText(GoldenPath(SystemdUserService.UnitName)), SystemdUserService.Render(["/usr/local/bin/thopter"]));

    [Fact]
    public void Systemd_unit_quotes_a_dotnet_invocation_with_blanks() =>
        Assert.Contains("ExecStart=/usr/bin/dotnet \"/opt/my tools/thopter.dll\" sync daemon run\n",
            SystemdUserService.Render(["/usr/bin/dotnet", "/opt/my tools/thopter.dll"]), StringComparison.Ordinal);

    [Fact]
    public void Launchd_plist_matches_the_golden_file() =>
        Assert.Equal(
            File.ReadAllText(GoldenPath(LaunchdAgent.Label + ".plist")),
            LaunchdAgent.Render(["/usr/local/bin/thopter"], DaemonPaths.For("/Users/dev", null)));

    [Fact]
    public void Launchd_plist_escapes_xml_in_arguments() =>
        Assert.Contains("<string>/opt/a&amp;b &lt;tools&gt;/thopter</string>",
            LaunchdAgent.Render(["/opt/a&b <tools>/thopter"], DaemonPaths.For("/Users/dev", null)), StringComparison.Ordinal);

    [Fact]
    public async Task Systemd_install_writes_enables_and_starts_then_uninstall_removes_and_both_are_idempotent()
    {
        var service = new SystemdUserService(home.Path, manager);

        Assert.True(await service.InstallAsync(["/usr/local/bin/thopter"], CancellationToken.None));
        Assert.False(await service.InstallAsync(["/usr/local/bin/thopter"], CancellationToken.None));

        Assert.Equal(SystemdUserService.Render(["/usr/local/bin/thopter"]), File.ReadAllText(home.Combine(".config", "systemd", "user", SystemdUserService.UnitName)));
        Assert.Equal(
            [
                "systemctl --user daemon-reload", $"systemctl --user enable {SystemdUserService.UnitName}", $"systemctl --user restart {SystemdUserService.UnitName}",
                "systemctl --user daemon-reload", $"systemctl --user enable {SystemdUserService.UnitName}", $"systemctl --user start {SystemdUserService.UnitName}",
            ],
            manager.Calls);

        manager.Calls.Clear();
        var removed = await CliRun.RunAsync(Environment, "sync", "daemon", "uninstall");
        var removedAgain = await CliRun.RunAsync(Environment, "sync", "daemon", "uninstall");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(0, removedAgain.ExitCode);
        Assert.False(service.Installed);
        Assert.Equal([$"systemctl --user disable --now {SystemdUserService.UnitName}", "systemctl --user daemon-reload"], manager.Calls);
    }

    [Fact]
    public async Task A_failing_systemctl_is_a_clear_error()
    {
        manager.Fail = true;

        var error = await Assert.ThrowsAsync<ThopterException>(() => new SystemdUserService(home.Path, manager).InstallAsync(["/usr/local/bin/thopter"], CancellationToken.None));

        Assert.Equal(ErrorKind.DaemonUnavailable, error.Kind);
        Assert.Contains("Failed to connect to bus", error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-service", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_user_manager_means_no_systemd_service()
    {
        manager.Fail = true;

        Assert.False(await new SystemdUserService(home.Path, manager).AvailableAsync(CancellationToken.None));
        Assert.Equal(["systemctl --user show-environment"], manager.Calls);
    }

    [Fact]
    public async Task Launchd_install_boots_the_agent_out_and_in_for_the_users_gui_domain()
    {
        var agent = new LaunchdAgent(home.Path, manager);

        Assert.True(await agent.InstallAsync(["/usr/local/bin/thopter"], CancellationToken.None));
        await agent.StartAsync(CancellationToken.None);

        var plist = home.Combine("Library", "LaunchAgents", LaunchdAgent.Label + ".plist");
        Assert.Equal(LaunchdAgent.Render(["/usr/local/bin/thopter"], DaemonPaths.For(home.Path, null)), File.ReadAllText(plist));
        Assert.Equal(
            ["id -u", $"launchctl bootout gui/501/{LaunchdAgent.Label}", $"launchctl bootstrap gui/501 {plist}", "id -u", $"launchctl kickstart gui/501/{LaunchdAgent.Label}"],
            manager.Calls);
    }

    private CliEnvironment Environment => new() { Home = home.Path, Processes = manager, SelfCommand = ["/usr/local/bin/thopter"] };

    private static string GoldenPath(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden", name);

    private sealed class RecordingRunner : IProcessRunner
    {
        public List<string> Calls { get; } = [];

        public bool Fail { get; set; }

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
        {
            Calls.Add(spec.ToString());
            return Task.FromResult(
                spec.FileName == "id" ? new ProcessResult(0, "501\n", string.Empty, TimeSpan.Zero)
                : Fail ? new ProcessResult(1, string.Empty, "Failed to connect to bus: No medium found", TimeSpan.Zero)
                : new ProcessResult(0, string.Empty, string.Empty, TimeSpan.Zero));
        }
    }
}
