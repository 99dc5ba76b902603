using Thopter.Agent.Systemd;
using Thopter.Shared.Timing;

namespace Thopter.Agent.Supervision;

/// <summary>An open <see cref="IServiceManager"/> and, when it is the fallback, why systemd was not used.</summary>
public sealed class ServiceManagerChoice(IServiceManager manager, string? fallbackReason, IDisposable? connection) : IDisposable
{
    public IServiceManager Manager { get; } = manager;

    public SupervisorKind Supervisor => Manager.Supervisor;

    public string? FallbackReason { get; } = fallbackReason;

    public void Dispose() => connection?.Dispose();
}

/// <summary>
/// The facade setup, uninstall and status start from: the user's systemd manager when its bus
/// answers, otherwise the detached fallback supervisor.
/// </summary>
public static class SyncthingService
{
    /// <summary>
    /// Picks the supervisor. <paramref name="waitForUserBus"/> gives a just-started user manager
    /// (lingering was only now enabled) time to bring up its bus before falling back.
    /// </summary>
    public static async Task<ServiceManagerChoice> OpenAsync(
        string userHome,
        string syncthingHome,
        SupervisorPaths paths,
        string agentBinary,
        TimeSpan waitForUserBus = default,
        string unitName = SyncthingServiceSpec.DefaultUnitName,
        CancellationToken cancellationToken = default)
    {
        BusConnection? bus = null;
        string? lastProblem = null;
        try
        {
            await Wait.UntilAsync(
                "the user's systemd manager on its bus",
                // Each attempt is bounded by the connect timeout, not by the (possibly zero) wait.
                async _ => (bus = await ConnectUserManagerAsync(cancellationToken).ConfigureAwait(false)) is not null,
                TimeSpan.FromMilliseconds(200),
                waitForUserBus,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException)
        {
            var fallback = new FallbackServiceManager(new DetachedSupervisor(paths, agentBinary), syncthingHome);
            return new ServiceManagerChoice(fallback, lastProblem, null);
        }

        return new ServiceManagerChoice(new SystemdServiceManager(new SystemdUserManager(bus!), userHome, unitName), null, bus);

        // A bus that answers is not enough: the user manager must be on it to run units.
        async Task<BusConnection?> ConnectUserManagerAsync(CancellationToken ct)
        {
            BusConnection? candidate = null;
            try
            {
                candidate = await BusConnection.OpenUserAsync(ct).ConfigureAwait(false);
                await SystemdUserManager.ProbeAsync(candidate).ConfigureAwait(false);
                return candidate;
            }
            catch (Exception error) when (error is DBusConnectException or DBusException or DBusTransportException)
            {
                candidate?.Dispose();
                lastProblem = candidate is null ? error.Message : $"{candidate.Address} answers but no systemd user manager is on it ({error.Message})";
                return null;
            }
        }
    }
}
