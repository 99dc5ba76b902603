using System.Diagnostics;
using System.Globalization;
using Thopter.Shared.Processes;
using Thopter.Shared.Timing;

namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// One devbox: a container of the devbox image on the host network, by default booting systemd
/// as PID 1. Everything it creates is labelled with the test run (see <see cref="TestRunLabels"/>);
/// disposing removes the container.
/// </summary>
public sealed class Devbox : IAsyncDisposable
{
    private static int counter;
    private readonly DockerCli docker;
    private readonly Dictionary<string, string> userIds = new() { ["root"] = "0" };

    private Devbox(DockerCli docker, DevboxOptions options, string containerId, string name, string hostname)
    {
        this.docker = docker;
        Options = options;
        ContainerId = containerId;
        Name = name;
        Hostname = hostname;
    }

    public DevboxOptions Options { get; }

    public string ContainerId { get; }

    public string Name { get; }

    public string Hostname { get; }

    /// <summary>From `docker run`/`docker start` to ready, for the most recent (re)start.</summary>
    public TimeSpan BootTime { get; private set; }

    /// <summary>Starts a devbox and waits until it is ready. A devbox that never gets ready is removed before the error is thrown.</summary>
    public static async Task<Devbox> StartAsync(DevboxOptions options, DockerCli? docker = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        docker ??= new DockerCli(new ProcessRunner());
        RunReaper.EnsureStarted();
        var labels = TestRunLabels.Current;
        var number = Interlocked.Increment(ref counter);
        var name = $"thopter-test-{labels.OwnerPid}-{number}";
        var hostname = options.Hostname ?? $"devbox-{labels.OwnerPid}-{number}";
        List<string> run = ["run", "-d", "--name", name, "--hostname", hostname, "--network", "host", .. labels.AsLabelArguments()];
        foreach (var (key, value) in options.ExtraLabels)
        {
            run.AddRange(["--label", $"{key}={value}"]);
        }

        if (options.BootSystemd)
        {
            run.AddRange([
                "--cap-add", "SYS_ADMIN", "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
                "--cgroupns=private", "--tmpfs", "/run", "--tmpfs", "/run/lock", "-e", "container=docker",
                // systemd prints its boot status only to a terminal; plain text keeps `docker logs` readable.
                "-t", "-e", "SYSTEMD_COLORS=0",
                options.Image, "/lib/systemd/systemd",
            ]);
        }
        else
        {
            // docker-init as PID 1 forwards signals and reaps children, so stop is prompt and nothing systemd-like runs.
            run.AddRange(["--init", "--tmpfs", "/run", options.Image, "sleep", "infinity"]);
        }

        var clock = Stopwatch.StartNew();
        var id = await docker.RunAsync(run, cancellationToken: cancellationToken);
        var devbox = new Devbox(docker, options, id, name, hostname);
        try
        {
            await devbox.WaitReadyAsync(cancellationToken);
        }
        catch
        {
            await devbox.RemoveAsync();
            throw;
        }

        devbox.BootTime = clock.Elapsed;
        return devbox;
    }

    /// <summary>
    /// Waits until the devbox can be used: with systemd, the system manager is running (or degraded)
    /// and the user's own manager answers on the user's bus; without, a command runs.
    /// </summary>
    public Task WaitReadyAsync(CancellationToken cancellationToken = default)
    {
        var what = Options.BootSystemd
            ? $"devbox {Name}: system manager running and {Options.User}'s user manager answering on its bus"
            : $"devbox {Name}: container accepting commands";
        return Thopter.Shared.Timing.Wait.UntilAsync(what, IsReadyAsync, TimeSpan.FromMilliseconds(200), Options.ReadyTimeout, DescribeAsync, cancellationToken: cancellationToken);
    }

    public Task<ExecResult> ExecAsync(string user, IEnumerable<string> command, ExecOptions? options = null, CancellationToken cancellationToken = default) =>
        ExecCoreAsync(user, command.ToList(), options ?? ExecOptions.Default, cancellationToken);

    public Task<ExecResult> ExecAsync(string user, params string[] command) => ExecAsync(user, command, null);

    /// <summary>Runs a bash script (bash -c) as <paramref name="user"/>.</summary>
    public Task<ExecResult> ShellAsync(string user, string script, ExecOptions? options = null, CancellationToken cancellationToken = default) =>
        ExecAsync(user, ["bash", "-c", script], options, cancellationToken);

    /// <summary>Copies a host file or directory into the devbox, optionally handing it to <paramref name="owner"/>.</summary>
    public async Task CopyInAsync(string hostPath, string containerPath, string? owner = null, CancellationToken cancellationToken = default)
    {
        await docker.RunAsync(["cp", hostPath, $"{ContainerId}:{containerPath}"], cancellationToken: cancellationToken);
        if (owner is not null)
        {
            (await ExecAsync("root", ["chown", "-R", $"{owner}:{owner}", containerPath], null, cancellationToken)).EnsureSuccess();
        }
    }

    public Task CopyOutAsync(string containerPath, string hostPath, CancellationToken cancellationToken = default) =>
        docker.RunAsync(["cp", $"{ContainerId}:{containerPath}", hostPath], cancellationToken: cancellationToken);

    /// <summary>Writes a text file in the devbox as <paramref name="owner"/> with <paramref name="mode"/> (octal).</summary>
    public async Task WriteFileAsync(string containerPath, string content, string owner = "root", string mode = "0644", CancellationToken cancellationToken = default)
    {
        var result = await ExecAsync(
            owner,
            ["sh", "-c", "umask 077 && cat > \"$1\" && chmod \"$2\" \"$1\"", "sh", containerPath, mode],
            new ExecOptions { StandardInput = content },
            cancellationToken);
        result.EnsureSuccess();
    }

    public async Task<string> ReadFileAsync(string containerPath, string user = "root", CancellationToken cancellationToken = default) =>
        (await ExecAsync(user, ["cat", containerPath], null, cancellationToken)).EnsureSuccess().StandardOutput;

    /// <summary>`docker commit`: the devbox's disk as an image, labelled with this run, from which clones start.</summary>
    public async Task<DevboxSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var labels = TestRunLabels.Current;
        var tag = $"thopter-test-snapshot:{labels.OwnerPid}-{Interlocked.Increment(ref counter)}";
        var clock = Stopwatch.StartNew();
        var imageId = await docker.RunAsync(["commit", .. labels.AsCommitChanges(), ContainerId, tag], cancellationToken: cancellationToken);
        return new DevboxSnapshot(docker, imageId, tag, Options with { Image = tag, Hostname = null }, clock.Elapsed);
    }

    /// <summary>Stops the devbox cleanly (systemd shuts down); its disk is kept. The stand-in for suspend.</summary>
    public Task StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default) =>
        docker.RunAsync(["stop", "-t", ((int)(grace ?? TimeSpan.FromSeconds(20)).TotalSeconds).ToString(CultureInfo.InvariantCulture), ContainerId], cancellationToken: cancellationToken);

    /// <summary>Starts a stopped devbox again and waits until it is ready. The stand-in for resume.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await docker.RunAsync(["start", ContainerId], cancellationToken: cancellationToken);
        await WaitReadyAsync(cancellationToken);
        BootTime = clock.Elapsed;
    }

    public Task KillAsync(string signal = "KILL", CancellationToken cancellationToken = default) =>
        docker.RunAsync(["kill", "-s", signal, ContainerId], cancellationToken: cancellationToken);

    /// <summary>Removes the container and its anonymous volumes; removing twice is fine.</summary>
    public Task RemoveAsync() => docker.TryRunAsync(["rm", "-f", "-v", ContainerId]);

    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default)
    {
        var result = await docker.TryRunAsync(["inspect", "-f", "{{.State.Running}}", ContainerId], cancellationToken: cancellationToken);
        return result.Succeeded && result.StandardOutput.Trim() == "true";
    }

    /// <summary>The last lines of the container's console output (systemd's boot messages, PID 1's output).</summary>
    public async Task<string> LogTailAsync(int lines = 40)
    {
        var result = await docker.TryRunAsync(["logs", "--tail", lines.ToString(CultureInfo.InvariantCulture), ContainerId]);
        return (result.StandardOutput + result.StandardError).Replace("\r", string.Empty, StringComparison.Ordinal).TrimEnd();
    }

    /// <summary>The last lines of the devbox's system journal (empty without systemd).</summary>
    public async Task<string> JournalTailAsync(int lines = 40)
    {
        var result = await ExecAsync("root", "journalctl", "--no-pager", "-n", lines.ToString(CultureInfo.InvariantCulture));
        return result.StandardOutput.TrimEnd();
    }

    public async ValueTask DisposeAsync() => await RemoveAsync();

    public override string ToString() => $"{Name} ({Hostname})";

    private async Task<ExecResult> ExecCoreAsync(string user, List<string> command, ExecOptions options, CancellationToken cancellationToken)
    {
        List<string> arguments = ["exec", "-u", user];
        if (options.StandardInput is not null)
        {
            arguments.Add("-i");
        }

        if (options.WorkingDirectory is not null)
        {
            arguments.AddRange(["-w", options.WorkingDirectory]);
        }

        if (options.WithUserBus && user != "root")
        {
            var uid = await UserIdAsync(user, cancellationToken);
            arguments.AddRange(["-e", $"XDG_RUNTIME_DIR=/run/user/{uid}", "-e", $"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{uid}/bus"]);
        }

        foreach (var (key, value) in options.Environment)
        {
            arguments.AddRange(["-e", $"{key}={value}"]);
        }

        arguments.Add(ContainerId);
        arguments.AddRange(command);
        var result = await docker.TryRunAsync(arguments, options.StandardInput, options.Timeout, cancellationToken);
        return new ExecResult(result.ExitCode, result.StandardOutput, result.StandardError, $"[{user}@{Hostname}] {string.Join(' ', command)}");
    }

    private async Task<string> UserIdAsync(string user, CancellationToken cancellationToken)
    {
        if (!userIds.TryGetValue(user, out var uid))
        {
            var result = await docker.TryRunAsync(["exec", ContainerId, "id", "-u", user], cancellationToken: cancellationToken);
            uid = result.Succeeded ? result.StandardOutput.Trim() : throw new InvalidOperationException($"no user '{user}' in devbox {Name}: {result.StandardError.Trim()}");
            userIds[user] = uid;
        }

        return uid;
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (!Options.BootSystemd)
        {
            return (await ExecAsync("root", ["true"], null, cancellationToken)).Succeeded;
        }

        if (IsUp(await ExecAsync("root", ["systemctl", "is-system-running"], null, cancellationToken))
            && IsUp(await ExecAsync(Options.User, ["systemctl", "--user", "is-system-running"], null, cancellationToken)))
        {
            return true;
        }

        // A PID 1 that gave up (e.g. the host ran out of inotify instances) never comes back: say so now.
        if (!await IsRunningAsync(cancellationToken))
        {
            throw new WaitAbortedException($"devbox {Name} exited while booting\n{await DescribeAsync()}");
        }

        return false;
    }

    // is-system-running exits non-zero for "degraded", which still means the manager is up and answering.
    private static bool IsUp(ExecResult result) => result.StandardOutput.Trim() is "running" or "degraded";

    // Diagnostics for a timeout message: each part is best effort, so a broken devbox still gets described.
    private async Task<string> DescribeAsync()
    {
        var detail = new System.Text.StringBuilder();
        detail.Append("container ").Append(Name).Append(": ")
            .AppendLine(await Safely(async () => (await docker.RunAsync("inspect", "-f", "state={{.State.Status}} exit={{.State.ExitCode}} error={{.State.Error}}", ContainerId))));
        if (Options.BootSystemd && await IsRunningAsync())
        {
            detail.Append("system manager: ").AppendLine(await Safely(async () => (await ExecAsync("root", "systemctl", "is-system-running")).StandardOutput.Trim()))
                .Append(Options.User).Append("'s manager: ").AppendLine(await Safely(async () => (await ExecAsync(Options.User, "systemctl", "--user", "is-system-running")).StandardOutput.Trim()))
                .Append("failed units: ").AppendLine(await Safely(async () => (await ExecAsync("root", "systemctl", "--failed", "--no-legend", "--plain")).StandardOutput.Trim()))
                .AppendLine("journal tail:").AppendLine(await Safely(() => JournalTailAsync(15)));
        }

        return detail.Append("last log lines:\n").Append(await Safely(() => LogTailAsync(30))).ToString();
    }

    private static async Task<string> Safely(Func<Task<string>> describe)
    {
        try
        {
            return await describe();
        }
        catch (Exception error) when (error is InvalidOperationException or DockerCommandException or TimeoutException)
        {
            return $"(unavailable: {error.Message})";
        }
    }
}
