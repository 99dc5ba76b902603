using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Containers;
using Thopter.Shared.Timing;

namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// One devbox: a Testcontainers container of the devbox image on the host network, by default
/// booting systemd as PID 1 (see <see cref="DevboxContainer"/>). What Testcontainers' API lacks
/// (exec as a user, commit, kill) goes through the Engine API client it exposes (<see cref="DockerEngine"/>).
/// Everything it creates is labelled with the test run (see <see cref="TestRunLabels"/>);
/// disposing removes the container.
/// </summary>
public sealed class Devbox : IAsyncDisposable
{
    private static int counter;
    private readonly IContainer container;
    private readonly Dictionary<string, (int Uid, int Gid)> userIds = new() { ["root"] = (0, 0) };

    private Devbox(IContainer container, DevboxOptions options, string name, string hostname)
    {
        this.container = container;
        Options = options;
        Name = name;
        Hostname = hostname;
    }

    public DevboxOptions Options { get; }

    public string ContainerId => container.Id;

    public string Name { get; }

    public string Hostname { get; }

    /// <summary>From `docker run`/`docker start` to ready, for the most recent (re)start.</summary>
    public TimeSpan BootTime { get; private set; }

    /// <summary>Starts a devbox and waits until it is ready. A devbox that never gets ready is removed before the error is thrown.</summary>
    public static async Task<Devbox> StartAsync(DevboxOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        DockerEngine.Configure();
        RunReaper.EnsureStarted();
        var labels = TestRunLabels.Current;
        var number = Interlocked.Increment(ref counter);
        var name = $"thopter-test-{labels.OwnerPid}-{number}";
        var hostname = options.Hostname ?? $"devbox-{labels.OwnerPid}-{number}";
        var allLabels = new Dictionary<string, string>(options.ExtraLabels);
        foreach (var (key, value) in labels.All)
        {
            allLabels[key] = value;
        }

        var devbox = new Devbox(DevboxContainer.Build(options, name, hostname, allLabels), options, name, hostname);
        var clock = Stopwatch.StartNew();
        try
        {
            await devbox.container.StartAsync(cancellationToken);
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
        var what = !Options.BootSystemd ? $"devbox {Name}: container accepting commands"
            : Options.Linger ? $"devbox {Name}: system manager running and {Options.User}'s user manager answering on its bus"
            : $"devbox {Name}: system manager running";
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
        var (uid, gid) = await UserIdsAsync(owner ?? "root", cancellationToken);
        await ContainerArchive.CopyInAsync(DockerEngine.Client, ContainerId, hostPath, containerPath, uid, gid, cancellationToken);
    }

    public Task CopyOutAsync(string containerPath, string hostPath, CancellationToken cancellationToken = default) =>
        ContainerArchive.CopyOutAsync(DockerEngine.Client, ContainerId, containerPath, hostPath, cancellationToken);

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
        var tag = $"{labels.OwnerPid}-{Interlocked.Increment(ref counter)}";
        var clock = Stopwatch.StartNew();
        var committed = await DockerEngine.Client.Images.CommitContainerChangesAsync(
            new CommitContainerChangesParameters
            {
                ContainerID = ContainerId,
                RepositoryName = DevboxSnapshot.Repository,
                Tag = tag,
                Changes = [.. labels.All.Select(label => $"LABEL {label.Key}={label.Value}")],
            },
            cancellationToken);
        var image = $"{DevboxSnapshot.Repository}:{tag}";
        return new DevboxSnapshot(committed.ID, image, Options with { Image = image, Hostname = null }, clock.Elapsed);
    }

    /// <summary>Stops the devbox cleanly (systemd shuts down); its disk is kept. The stand-in for suspend.</summary>
    public Task StopAsync(TimeSpan? grace = null, CancellationToken cancellationToken = default) =>
        DockerEngine.Client.Containers.StopContainerAsync(
            ContainerId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)(grace ?? TimeSpan.FromSeconds(20)).TotalSeconds }, cancellationToken);

    /// <summary>Starts a stopped devbox again and waits until it is ready. The stand-in for resume.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await DockerEngine.Client.Containers.StartContainerAsync(ContainerId, new ContainerStartParameters(), cancellationToken);
        await WaitReadyAsync(cancellationToken);
        BootTime = clock.Elapsed;
    }

    public Task KillAsync(string signal = "KILL", CancellationToken cancellationToken = default) =>
        DockerEngine.Client.Containers.KillContainerAsync(ContainerId, new ContainerKillParameters { Signal = signal }, cancellationToken);

    /// <summary>Removes the container and its anonymous volumes; removing twice is fine.</summary>
    public async Task RemoveAsync() => await container.DisposeAsync();

    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return (await DockerEngine.Client.Containers.InspectContainerAsync(ContainerId, cancellationToken)).State?.Running == true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The last lines of the container's console output (systemd's boot messages, PID 1's output).</summary>
    public async Task<string> LogTailAsync(int lines = 40)
    {
        var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        using var stream = await DockerEngine.Client.Containers.GetContainerLogsAsync(ContainerId, parameters, CancellationToken.None);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        return (stdout + stderr).Replace("\r", string.Empty, StringComparison.Ordinal).TrimEnd();
    }

    /// <summary>The last lines of the devbox's system journal (empty without systemd).</summary>
    public async Task<string> JournalTailAsync(int lines = 40)
    {
        var result = await ExecAsync("root", "journalctl", "--no-pager", "-n", lines.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return result.StandardOutput.TrimEnd();
    }

    public async ValueTask DisposeAsync() => await RemoveAsync();

    public override string ToString() => $"{Name} ({Hostname})";

    private async Task<ExecResult> ExecCoreAsync(string user, List<string> command, ExecOptions options, CancellationToken cancellationToken)
    {
        List<string> environment = [];
        if (options.WithUserBus && user != "root")
        {
            var (uid, _) = await UserIdsAsync(user, cancellationToken);
            environment.AddRange([$"XDG_RUNTIME_DIR=/run/user/{uid}", $"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{uid}/bus"]);
        }

        environment.AddRange(options.Environment.Select(pair => $"{pair.Key}={pair.Value}"));
        return await DockerExec.RunAsync(DockerEngine.Client, ContainerId, user, command, environment, options, $"[{user}@{Hostname}] {string.Join(' ', command)}", cancellationToken);
    }

    private async Task<(int Uid, int Gid)> UserIdsAsync(string user, CancellationToken cancellationToken)
    {
        if (!userIds.TryGetValue(user, out var ids))
        {
            var result = await ExecAsync("root", ["id", "-u", user], new ExecOptions { WithUserBus = false }, cancellationToken);
            var group = await ExecAsync("root", ["id", "-g", user], new ExecOptions { WithUserBus = false }, cancellationToken);
            ids = result.Succeeded && group.Succeeded
                ? (int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture), int.Parse(group.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture))
                : throw new InvalidOperationException($"no user '{user}' in devbox {Name}: {result.StandardError.Trim()}");
            userIds[user] = ids;
        }

        return ids;
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (!Options.BootSystemd)
        {
            return (await ExecAsync("root", ["true"], null, cancellationToken)).Succeeded;
        }

        if (IsUp(await ExecAsync("root", ["systemctl", "is-system-running"], null, cancellationToken))
            && (!Options.Linger || IsUp(await ExecAsync(Options.User, ["systemctl", "--user", "is-system-running"], null, cancellationToken))))
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
            .AppendLine(await Safely(async () =>
            {
                var state = (await DockerEngine.Client.Containers.InspectContainerAsync(ContainerId)).State;
                return state is null ? "no state" : $"state={state.Status} exit={state.ExitCode} error={state.Error}";
            }));
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
        catch (Exception error) when (error is InvalidOperationException or DockerApiException or TimeoutException)
        {
            return $"(unavailable: {error.Message})";
        }
    }
}
