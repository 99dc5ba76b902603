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
        DBusConnection? bus = null;
        DBusConnectException? lastError = null;
        try
        {
            await Wait.UntilAsync(
                "the user's systemd bus",
                _ =>
                {
                    try
                    {
                        bus = DBusConnection.OpenUser();
                        return Task.FromResult(true);
                    }
                    catch (DBusConnectException error)
                    {
                        lastError = error;
                        return Task.FromResult(false);
                    }
                },
                TimeSpan.FromMilliseconds(200),
                waitForUserBus,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException)
        {
            var fallback = new FallbackServiceManager(new DetachedSupervisor(paths, agentBinary), syncthingHome);
            return new ServiceManagerChoice(fallback, lastError?.Message, null);
        }

        return new ServiceManagerChoice(new SystemdServiceManager(new SystemdUserManager(bus!), userHome, unitName), null, bus);
    }
}
