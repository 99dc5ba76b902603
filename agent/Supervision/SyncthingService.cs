using Thopter.Agent.Systemd;

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
    public static ServiceManagerChoice Open(string userHome, SupervisorPaths paths, string agentBinary, string unitName = SyncthingServiceSpec.DefaultUnitName)
    {
        DBusConnection bus;
        try
        {
            bus = DBusConnection.OpenUser();
        }
        catch (DBusConnectException error)
        {
            return new ServiceManagerChoice(new FallbackServiceManager(new DetachedSupervisor(paths, agentBinary)), error.Message, null);
        }

        return new ServiceManagerChoice(new SystemdServiceManager(new SystemdUserManager(bus), userHome, unitName), null, bus);
    }
}
