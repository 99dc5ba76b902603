using Microsoft.Extensions.Logging;
using Thopter.Agent.Systemd;

namespace Thopter.Agent.Supervision;

/// <summary>
/// The fallback for hosts without a reachable user manager: keeps one SyncThing process alive
/// with the same restart rules as its systemd unit (<see cref="RestartPolicy"/>), and before every start the same
/// checks as the unit's ExecStartPre (<see cref="IStartCheck"/>).
/// </summary>
public sealed class SyncthingSupervisor(
    IChildProcessLauncher launcher,
    IStartCheck startCheck,
    SyncthingServiceSpec spec,
    RestartPolicy policy,
    ILogger<SyncthingSupervisor> logger,
    TimeProvider? time = null)
{
    /// <summary>Returned when SyncThing cannot be started at all (binary missing or not executable, or the check before the start failed), like a shell's 127.</summary>
    public const int CannotStartExitCode = 127;

    private readonly TimeProvider clock = time ?? TimeProvider.System;

    /// <summary>How long SyncThing gets to shut down after SIGTERM before it is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    public int Starts { get; private set; }

    /// <summary>
    /// Runs until <paramref name="stopping"/> fires (then stops SyncThing cleanly and returns 0) or
    /// SyncThing exits in a way that means "stay down" (returns its exit code).
    /// </summary>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                await startCheck.EnsureAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError("not starting SyncThing: the check before its start failed: {Reason}", error.Message);
                return CannotStartExitCode;
            }

            IChildProcess child;
            try
            {
                child = launcher.Start(spec.SyncthingBinary, spec.ServeArguments, spec.Environment);
            }
            catch (Exception error) when (error is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
            {
                logger.LogError("cannot start {Binary}: {Reason}; fix: install SyncThing there (thopter-agent setup) or pass --syncthing", spec.SyncthingBinary, error.Message);
                return CannotStartExitCode;
            }

            using var running = child;
            Starts++;
            var started = clock.GetTimestamp();
            logger.LogInformation("started {Binary} (pid {Pid})", spec.SyncthingBinary, child.Id);
            int exitCode;
            try
            {
                exitCode = await child.WaitForExitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await StopChildAsync(child).ConfigureAwait(false);
                return 0;
            }

            var decision = policy.OnExit(exitCode, clock.GetElapsedTime(started));
            if (!decision.Restart)
            {
                logger.LogInformation("SyncThing {Reason}; not restarting", decision.Reason);
                return exitCode;
            }

            logger.LogWarning("SyncThing {Reason}; restarting in {Delay:0.###} s", decision.Reason, decision.Delay.TotalSeconds);
            if (decision.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(decision.Delay, clock, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return 0;
                }
            }
        }
    }

    private async Task StopChildAsync(IChildProcess child)
    {
        logger.LogInformation("stopping SyncThing (pid {Pid})", child.Id);
        child.Terminate();
        using var grace = new CancellationTokenSource(StopGracePeriod, clock);
        try
        {
            var exitCode = await child.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            logger.LogInformation("SyncThing stopped (exit {ExitCode})", exitCode);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("SyncThing ignored SIGTERM for {Seconds:0} s; killing it", StopGracePeriod.TotalSeconds);
            child.Kill();
        }
    }
}
