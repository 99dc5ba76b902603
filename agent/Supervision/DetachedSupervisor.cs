using System.Diagnostics;
using System.Globalization;
using Thopter.Agent.Systemd;
using Thopter.Shared.Timing;

namespace Thopter.Agent.Supervision;

/// <summary>
/// Starts `thopter-agent run` in its own session (setsid), so it outlives the ssh/exec session
/// that ran setup. Idempotent: a live supervisor recorded in the pid file is left alone.
/// </summary>
public sealed class DetachedSupervisor(SupervisorPaths paths, string agentBinary, TimeProvider? time = null)
{
    public SupervisorPaths Paths => paths;

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The live supervisor's pid, or null when none runs for this pid file.</summary>
    public int? RunningPid() => LivePid(paths.PidFile);

    /// <summary>The arguments of the running supervisor (empty when none runs).</summary>
    public IReadOnlyList<string> RunningArguments() =>
        RunningPid() is { } pid ? ProcFs.CommandLine(pid) : [];

    /// <summary>The `run` arguments for a spec; also how a running supervisor is matched against a spec.</summary>
    public IReadOnlyList<string> RunArguments(SyncthingServiceSpec spec) =>
    [
        "run",
        $"--syncthing={spec.SyncthingBinary}",
        $"--home={spec.HomeDirectory}",
        $"--pid-file={paths.PidFile}",
        $"--log-file={paths.LogFile}",
        .. spec.AgentBinary is null ? Array.Empty<string>() : ["--accelerate"],
        .. spec.SyncthingVersion is null ? Array.Empty<string>() : [$"--syncthing-version={spec.SyncthingVersion}"],
    ];

    public bool IsRunning(SyncthingServiceSpec spec) => RunningArguments().Skip(1).SequenceEqual(RunArguments(spec));

    /// <summary>Starts a supervisor unless one runs; returns its pid and whether this call started it.</summary>
    public async Task<(int Pid, bool Started)> EnsureRunningAsync(SyncthingServiceSpec spec, CancellationToken cancellationToken = default)
    {
        if (RunningPid() is { } running)
        {
            return (running, false);
        }

        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(agentBinary);
        foreach (var argument in RunArguments(spec))
        {
            start.ArgumentList.Add(argument);
        }

        // The child moves its stdio to the log file at once; our ends of the pipes close with it.
        using (Process.Start(start) ?? throw new InvalidOperationException("could not start setsid"))
        {
        }

        await Wait.UntilAsync(
            $"the supervisor to write {paths.PidFile}",
            _ => Task.FromResult(RunningPid() is not null),
            TimeSpan.FromMilliseconds(50),
            StartTimeout,
            () => Task.FromResult(LogTail()),
            time,
            cancellationToken).ConfigureAwait(false);
        return (RunningPid() ?? 0, true);
    }

    /// <summary>SIGTERM (the supervisor stops SyncThing cleanly), then SIGKILL if it lingers.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (RunningPid() is not { } pid)
        {
            return;
        }

        Libc.Kill(pid, Libc.SignalTerm);
        try
        {
            await Wait.UntilAsync(
                $"supervisor pid {pid} to exit",
                _ => Task.FromResult(!IsSupervisor(pid, paths.PidFile)),
                TimeSpan.FromMilliseconds(100),
                StopTimeout,
                time: time,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException)
        {
            Libc.Kill(pid, Libc.SignalKill);
        }

        File.Delete(paths.PidFile);
    }

    public string LogTail(int lines = 20) =>
        File.Exists(paths.LogFile)
            ? $"last lines of {paths.LogFile}:\n" + string.Join('\n', File.ReadLines(paths.LogFile).TakeLast(lines))
            : $"{paths.LogFile} does not exist";

    public static int? ReadPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The pid in the file, if that process is still a supervisor for that very pid file (pids get reused).</summary>
    public static int? LivePid(string pidFile) =>
        ReadPid(pidFile) is { } pid && IsSupervisor(pid, pidFile) ? pid : null;

    private static bool IsSupervisor(int pid, string pidFile)
    {
        var arguments = ProcFs.CommandLine(pid);
        return arguments.Count > 1 && arguments[1] == "run" && arguments.Contains($"--pid-file={pidFile}");
    }
}
