using Thopter.Shared.Timing;

namespace Thopter.Agent.Systemd;

/// <summary>org.freedesktop.systemd1.Manager on a bus (normally the user's, from <see cref="DBusConnection.OpenUser"/>).</summary>
public sealed class SystemdUserManager(DBusConnection bus, TimeProvider? time = null) : ISystemdUserManager
{
    private const string Destination = "org.freedesktop.systemd1";
    private const string ManagerPath = "/org/freedesktop/systemd1";
    private const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    private const string UnitInterface = "org.freedesktop.systemd1.Unit";
    private const string ServiceInterface = "org.freedesktop.systemd1.Service";
    private const string JobInterface = "org.freedesktop.systemd1.Job";
    private const string PropertiesInterface = "org.freedesktop.DBus.Properties";

    /// <summary>How long a start/restart/stop may take before we give up (generous: a cold SyncThing start is seconds).</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public void Reload() => CallManager("Reload", null, _ => 0);

    public void EnableUnitFiles(IReadOnlyList<string> unitNames) =>
        CallManager("EnableUnitFiles", w => w.StringArray(unitNames).Boolean(false).Boolean(true), _ => 0);

    public void DisableUnitFiles(IReadOnlyList<string> unitNames) =>
        CallManager("DisableUnitFiles", w => w.StringArray(unitNames).Boolean(false), _ => 0);

    public void ResetFailedUnit(string unitName) => CallManager("ResetFailedUnit", w => w.String(unitName), _ => 0);

    public Task StartUnitAsync(string unitName, CancellationToken cancellationToken = default) =>
        RunJobAsync("StartUnit", unitName, state => state.IsActive, "active", cancellationToken);

    public Task RestartUnitAsync(string unitName, CancellationToken cancellationToken = default) =>
        RunJobAsync("RestartUnit", unitName, state => state.IsActive, "active", cancellationToken);

    public Task StopUnitAsync(string unitName, CancellationToken cancellationToken = default) =>
        RunJobAsync("StopUnit", unitName, state => state.IsStopped, "inactive", cancellationToken);

    public UnitState GetUnitState(string unitName)
    {
        // LoadUnit (unlike GetUnit) also answers for units systemd has not loaded yet, with LoadState "not-found".
        var path = CallManager("LoadUnit", w => w.String(unitName), r => r.ObjectPath());
        var load = GetString(path, UnitInterface, "LoadState");
        var active = GetString(path, UnitInterface, "ActiveState");
        var sub = GetString(path, UnitInterface, "SubState");
        var mainPid = unitName.EndsWith(".service", StringComparison.Ordinal) && load == "loaded"
            ? GetProperty(path, ServiceInterface, "MainPID", "u", r => r.UInt32())
            : 0u;
        return new UnitState(load, active, sub, mainPid);
    }

    private async Task RunJobAsync(
        string method, string unitName, Func<UnitState, bool> done, string goal, CancellationToken cancellationToken)
    {
        var job = CallManager(method, w => w.String(unitName).String("replace"), r => r.ObjectPath());
        UnitState? last = null;
        using var gaveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Wait.UntilAsync(
                $"{unitName} to become {goal} after {method}",
                _ =>
                {
                    if (JobExists(job))
                    {
                        return Task.FromResult(false);
                    }

                    last = GetUnitState(unitName);
                    if (goal == "active" && last.ActiveState == "failed")
                    {
                        // Job finished and no restart is pending: waiting longer cannot help.
                        gaveUp.Cancel();
                    }

                    return Task.FromResult(done(last));
                },
                PollInterval,
                JobTimeout,
                () => Task.FromResult(last is null ? $"job {job} still queued" : $"{unitName} is {last}; {JournalHint(unitName)}"),
                time,
                gaveUp.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && last is not null)
        {
            throw new UnitFailedException(unitName, last, $"{unitName} failed to start: {last}; {JournalHint(unitName)}");
        }
    }

    private static string JournalHint(string unitName) => $"see `journalctl --user -u {unitName}`";

    private bool JobExists(string jobPath)
    {
        try
        {
            GetString(jobPath, JobInterface, "State");
            return true;
        }
        catch (DBusException error) when (error.ErrorName is DBusException.UnknownObject or DBusException.NoSuchJob
                                           || error.ErrorName == "org.freedesktop.DBus.Error.UnknownMethod")
        {
            return false;
        }
    }

    private string GetString(string path, string @interface, string property) =>
        GetProperty(path, @interface, property, "s", r => r.String());

    private T GetProperty<T>(string path, string @interface, string property, string signature, Func<DBusMessageReader, T> read) =>
        bus.Call(
            Destination,
            path,
            PropertiesInterface,
            "Get",
            w => w.String(@interface).String(property),
            r => r.Variant(signature, read));

    private T CallManager<T>(string member, Action<DBusMessageWriter>? write, Func<DBusMessageReader, T> read) =>
        bus.Call(Destination, ManagerPath, ManagerInterface, member, write, read);
}
