using Thopter.Agent.Supervision;
using Thopter.Agent.Systemd;
using Thopter.Shared.Contracts;
using Thopter.Shared.Timing;

namespace Thopter.Agent.Setup;

/// <summary>
/// Keeps SyncThing running under the user's systemd manager (lingering on, so it runs with nobody logged in), or under
/// the detached fallback supervisor when no user manager answers. Failures become setup's service/D-Bus exit codes.
/// </summary>
public static class ServiceStep
{
    private static readonly TimeSpan UserBusGrace = TimeSpan.FromSeconds(10);

    /// <summary>This agent binary: what the fallback supervisor and the accelerator's unit run.</summary>
    public static string AgentBinary => Environment.ProcessPath ?? "/usr/local/bin/thopter-agent";

    public static Task<ServiceManagerChoice> OpenAsync(string userHome, string syncthingHome, TimeSpan waitForUserBus, CancellationToken cancellationToken) =>
        Guard(() => SyncthingService.OpenAsync(
            userHome,
            syncthingHome,
            SupervisorPaths.ForUser(userHome, Environment.GetEnvironmentVariable),
            AgentBinary,
            waitForUserBus,
            cancellationToken: cancellationToken));

    public static async Task<ServiceReport> EnsureAsync(
        IServiceManagerFactory services, PlatformFacts platform, string userHome, SyncthingServiceSpec spec, bool restartNeeded, List<string> warnings, CancellationToken cancellationToken)
    {
        var linger = await services.EnsureLingeringAsync(platform, cancellationToken).ConfigureAwait(false);
        using var choice = await services.OpenAsync(userHome, spec.HomeDirectory, linger.Changed ? UserBusGrace : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        if (linger.Problem is not null && choice.Supervisor == SupervisorKind.Systemd)
        {
            warnings.Add(linger.Problem);
        }

        // Without lingering there is no user manager: the refusal is the reason for the fallback, and names the fix.
        var fallbackReason = choice.FallbackReason is { } reason && linger.Problem is not null ? $"{reason}; {linger.Problem}" : choice.FallbackReason;

        var outcome = await Guard(() => choice.Manager.EnsureInstalledAndRunningAsync(spec, restartNeeded, cancellationToken)).ConfigureAwait(false);
        return new ServiceReport(
            Name(outcome.Supervisor),
            outcome.Action switch
            {
                ServiceAction.AlreadyRunning => "already-running",
                ServiceAction.Started => "started",
                _ => "restarted",
            },
            outcome.Status.State,
            outcome.Status.Definition,
            fallbackReason,
            linger.Lingering ? (linger.Changed ? "enabled" : "on") : "off",
            outcome.Accelerator);
    }

    /// <summary>
    /// The service as setup and reset-identity install it: SyncThing from <paramref name="syncthingBinary"/>, this agent
    /// checking the identity before every start, and the accelerator beside it unless <paramref name="accelerate"/> is off.
    /// </summary>
    public static SyncthingServiceSpec Spec(string syncthingBinary, string syncthingVersion, string syncthingHome, bool accelerate) =>
        new(syncthingBinary, syncthingHome)
        {
            SyncthingVersion = syncthingVersion,
            IdentityGuard = AgentBinary,
            AgentBinary = accelerate ? AgentBinary : null,
        };

    public static string Name(SupervisorKind kind) => kind == SupervisorKind.Systemd ? "systemd" : "fallback";

    /// <summary>Runs a service call, turning D-Bus and supervisor failures into setup's documented errors.</summary>
    public static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (UnitFailedException error)
        {
            throw new AgentException(ExitCodes.ServiceFailed, $"{error.UnitName} failed: {error.Message}",
                $"see `journalctl --user -u {error.UnitName}`; run setup again after fixing the cause", error);
        }
        catch (DBusException error)
        {
            throw new AgentException(ExitCodes.DBusError, $"the systemd user manager refused a call: {error.Message}",
                "check `systemctl --user status`; run setup again", error);
        }
        catch (DBusTransportException error)
        {
            throw new AgentException(ExitCodes.DBusError, $"the connection to the systemd user manager broke: {error.Message}",
                "check `systemctl --user status`; run setup again", error);
        }
        catch (WaitTimeoutException error)
        {
            throw new AgentException(ExitCodes.ServiceFailed, $"SyncThing's service did not reach the wanted state: {error.Message}",
                "see `journalctl --user -u thopter-syncthing` or ~/.local/state/thopter/supervisor.log; run setup again", error);
        }
    }

    public static async Task Guard(Func<Task> call) => await Guard(async () =>
    {
        await call().ConfigureAwait(false);
        return 0;
    }).ConfigureAwait(false);
}
