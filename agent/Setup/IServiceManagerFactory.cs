using Thopter.Agent.Supervision;
using Thopter.Agent.Systemd;

namespace Thopter.Agent.Setup;

/// <summary>
/// Where SyncThing's service manager comes from: lingering through logind, then the user's systemd manager over D-Bus
/// or the fallback supervisor (<see cref="SystemServiceManagerFactory"/>). Tests hand setup a manager of their own.
/// </summary>
public interface IServiceManagerFactory
{
    /// <summary>Turns on lingering for the user, so their manager runs with nobody logged in.</summary>
    Task<LingerResult> EnsureLingeringAsync(PlatformFacts platform, CancellationToken cancellationToken);

    /// <summary>Picks the manager; <paramref name="waitForUserBus"/> gives a user manager that lingering just started time to come up.</summary>
    Task<ServiceManagerChoice> OpenAsync(string userHome, string syncthingHome, TimeSpan waitForUserBus, CancellationToken cancellationToken);
}

/// <summary>The machine's own: logind on the system bus, the user's systemd manager, else the detached supervisor.</summary>
public sealed class SystemServiceManagerFactory : IServiceManagerFactory
{
    public static SystemServiceManagerFactory Instance { get; } = new();

    public Task<LingerResult> EnsureLingeringAsync(PlatformFacts platform, CancellationToken cancellationToken) =>
        new Logind().EnsureLingeringAsync(platform.UserName, platform.UserId, BusConnection.OpenSystemAsync, cancellationToken);

    public Task<ServiceManagerChoice> OpenAsync(string userHome, string syncthingHome, TimeSpan waitForUserBus, CancellationToken cancellationToken) =>
        ServiceStep.OpenAsync(userHome, syncthingHome, waitForUserBus, cancellationToken);
}
