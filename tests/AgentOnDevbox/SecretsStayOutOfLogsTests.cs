using Thopter.Shared.Timing;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.AgentOnDevbox;

/// <summary>
/// The API key and the private key never reach anything a person or a log collector reads: setup's stdout and stderr
/// (also with --verbose), status --verbose, the systemd journal of the units setup installs, and the fallback
/// supervisor's --log-file. Each channel is first shown to hold the agent's own log lines, so a missing log cannot
/// pass for a clean one.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SecretsStayOutOfLogsTests(ITestOutputHelper output)
{
    private const string KeyPath = AgentCli.SyncthingHome + "/key.pem";
    private const string SupervisorLog = AgentCli.Home + "/.local/state/thopter/supervisor.log";

    [Fact]
    public async Task Under_systemd_no_secret_reaches_stdout_stderr_verbose_output_or_the_journal()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);

        var channels = new Dictionary<string, string>(StringComparer.Ordinal);
        // Fresh, --verbose setup logs the most (download, install, identity); a re-run logs what it changes, if anything.
        await RunIntoAsync(channels, "setup --verbose", agent.RunAsync([.. agent.SetupArguments(), "--verbose"], true));
        await RunIntoAsync(channels, "setup", agent.RunAsync(agent.SetupArguments(), true));
        await RunIntoAsync(channels, "status --verbose", agent.RunAsync(["status", "--verbose"], true));
        Assert.Contains(" DBG ", channels["setup --verbose: stderr"], StringComparison.Ordinal);

        // The accelerator unit logs once it reaches SyncThing: then the journal holds what our units said.
        const string Journal = "journalctl --no-pager -o cat";
        await Wait.UntilAsync(
            "the accelerator unit's log lines in the journal",
            async _ => (await devbox.ShellAsync("root", $"{Journal} _SYSTEMD_USER_UNIT=thopter-accelerator.service")).StandardOutput.Contains("accelerating", StringComparison.Ordinal),
            TimeSpan.FromMilliseconds(200),
            TimeSpan.FromSeconds(30),
            async () => await devbox.JournalTailAsync());
        channels["the journal (every unit, system and user)"] = (await devbox.ShellAsync("root", Journal)).EnsureSuccess().StandardOutput;
        channels["journalctl --user (as dev)"] = (await devbox.ExecAsync("dev", ["journalctl", "--user", "--no-pager", "-o", "cat"], new ExecOptions { WithUserBus = true })).StandardOutput;

        AssertNoSecretIn(channels, await SecretsAsync(devbox));
    }

    [Fact]
    public async Task Under_the_fallback_supervisor_no_secret_reaches_its_log_file_or_setups_output()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        await using var devbox = await Devbox.StartAsync(new DevboxOptions().WithoutSystemd());
        var agent = await AgentCli.PrepareAsync(devbox, mirror);

        var channels = new Dictionary<string, string>(StringComparer.Ordinal);
        await RunIntoAsync(channels, "setup --verbose", agent.RunAsync([.. agent.SetupArguments(), "--verbose"], false));
        Assert.Contains("fallback", channels["setup --verbose: stdout"], StringComparison.Ordinal);

        // The supervisor runs the accelerator in its own process: both log to the file.
        await Wait.UntilAsync(
            "the supervisor's and the accelerator's lines in " + SupervisorLog,
            async _ => (await devbox.ReadFileAsync(SupervisorLog)) is var log && log.Contains("started", StringComparison.Ordinal) && log.Contains("accelerating", StringComparison.Ordinal),
            TimeSpan.FromMilliseconds(200),
            TimeSpan.FromSeconds(30),
            () => devbox.ReadFileAsync(SupervisorLog));
        channels["the supervisor's --log-file"] = await devbox.ReadFileAsync(SupervisorLog);

        AssertNoSecretIn(channels, await SecretsAsync(devbox));
    }

    private static async Task RunIntoAsync(Dictionary<string, string> channels, string name, Task<ExecResult> run)
    {
        var result = (await run).EnsureSuccess();
        channels[$"{name}: stdout"] = result.StandardOutput;
        channels[$"{name}: stderr"] = result.StandardError;
    }

    /// <summary>The API key, and each line of the private key's base64 body (a leak of part of the key counts).</summary>
    private static async Task<Dictionary<string, string>> SecretsAsync(Devbox devbox)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        var config = Thopter.Shared.Config.SyncthingConfigDocument.Parse(await devbox.ReadFileAsync(AgentCli.ConfigPath));
        secrets["the API key"] = config.Gui!.ApiKey;
        var body = (await devbox.ReadFileAsync(KeyPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("-----", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(body);
        for (var i = 0; i < body.Count; i++)
        {
            secrets[$"line {i + 1} of key.pem"] = body[i];
        }

        return secrets;
    }

    private void AssertNoSecretIn(Dictionary<string, string> channels, Dictionary<string, string> secrets)
    {
        foreach (var (name, text) in channels)
        {
            output.WriteLine($"{name}: {text.Length} characters");
        }

        var leaks = (from channel in channels
                     from secret in secrets
                     where secret.Value.Length >= 16 && channel.Value.Contains(secret.Value, StringComparison.Ordinal)
                     select $"{secret.Key} in {channel.Key}").ToList();
        Assert.True(leaks.Count == 0, "secrets leaked: " + string.Join("; ", leaks));
    }
}
