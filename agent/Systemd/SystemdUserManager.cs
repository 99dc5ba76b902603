using System.Threading.Channels;
using Thopter.Shared.Timing;
using Tmds.DBus.Protocol;

namespace Thopter.Agent.Systemd;

/// <summary>
/// org.freedesktop.systemd1.Manager on a bus (normally the user's, from <see cref="BusConnection.OpenUserAsync"/>).
/// Start, restart and stop wait for the manager's JobRemoved signal, watched before the job is queued so that a job
/// finishing at once cannot slip past.
/// </summary>
public sealed class SystemdUserManager(BusConnection bus, TimeProvider? time = null) : ISystemdUserManager
{
    private const string Destination = "org.freedesktop.systemd1";
    private const string ManagerPath = "/org/freedesktop/systemd1";
    private const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    private const string UnitInterface = "org.freedesktop.systemd1.Unit";
    private const string ServiceInterface = "org.freedesktop.systemd1.Service";
    private const string PropertiesInterface = "org.freedesktop.DBus.Properties";

    private Task? subscribed;

    /// <summary>How long a start/restart/stop may take before we give up (generous: a cold SyncThing start is seconds).</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Throws <see cref="DBusException"/> (ServiceUnknown) when no systemd manager is on <paramref name="bus"/>: a user bus
    /// without its manager (dbus-launch, a desktop session bus) cannot run units.
    /// </summary>
    public static Task ProbeAsync(BusConnection bus) =>
        bus.CallAsync(Destination, ManagerPath, "org.freedesktop.DBus.Peer", "Ping", null, null, ReadNothing);

    public Task ReloadAsync() => CallManagerAsync("Reload", null, null);

    public Task EnableUnitFilesAsync(IReadOnlyList<string> unitNames) =>
        CallManagerAsync("EnableUnitFiles", "asbb", (ref MessageWriter w) =>
        {
            w.WriteArray(unitNames);
            w.WriteBool(false); // persistently, in ~/.config (not /run)
            w.WriteBool(true); // replace symlinks left by an older install
        });

    public Task DisableUnitFilesAsync(IReadOnlyList<string> unitNames) =>
        CallManagerAsync("DisableUnitFiles", "asb", (ref MessageWriter w) =>
        {
            w.WriteArray(unitNames);
            w.WriteBool(false);
        });

    public Task ResetFailedUnitAsync(string unitName) =>
        CallManagerAsync("ResetFailedUnit", "s", (ref MessageWriter w) => w.WriteString(unitName));

    public Task StartUnitAsync(string unitName, CancellationToken cancellationToken = default) =>
        RunJobAsync("StartUnit", unitName, state => state.IsActive, "active", cancellationToken);

    public Task RestartUnitAsync(string unitName, CancellationToken cancellationToken = default) =>
        RunJobAsync("RestartUnit", unitName, state => state.IsActive, "active", cancellationToken);

    public Task StopUnitAsync(string unitName, CancellationToken cancellationToken = default) =>
        RunJobAsync("StopUnit", unitName, state => state.IsStopped, "inactive", cancellationToken);

    public async Task<UnitState> GetUnitStateAsync(string unitName)
    {
        // LoadUnit (unlike GetUnit) also answers for units systemd has not loaded yet, with LoadState "not-found".
        var path = await bus.CallAsync(
            Destination, ManagerPath, ManagerInterface, "LoadUnit", "s", (ref MessageWriter w) => w.WriteString(unitName), ReadObjectPath)
            .ConfigureAwait(false);
        var load = (await GetPropertyAsync(path, UnitInterface, "LoadState").ConfigureAwait(false)).GetString();
        var active = (await GetPropertyAsync(path, UnitInterface, "ActiveState").ConfigureAwait(false)).GetString();
        var sub = (await GetPropertyAsync(path, UnitInterface, "SubState").ConfigureAwait(false)).GetString();
        var mainPid = unitName.EndsWith(".service", StringComparison.Ordinal) && load == "loaded"
            ? (await GetPropertyAsync(path, ServiceInterface, "MainPID").ConfigureAwait(false)).GetUInt32()
            : 0u;
        return new UnitState(load, active, sub, mainPid);
    }

    private async Task RunJobAsync(
        string method, string unitName, Func<UnitState, bool> done, string goal, CancellationToken cancellationToken)
    {
        // systemd emits job signals only while some client has subscribed.
        await (subscribed ??= CallManagerAsync("Subscribe", null, null)).ConfigureAwait(false);
        var removed = Channel.CreateUnbounded<JobRemoved>();
        using var watch = await bus.WatchSignalAsync(
            ManagerPath,
            ManagerInterface,
            "JobRemoved",
            ReadJobRemoved,
            job =>
            {
                if (job.Unit == unitName)
                {
                    removed.Writer.TryWrite(job);
                }
            },
            error => removed.Writer.TryComplete(new DBusTransportException($"the bus closed while waiting for {unitName}: {error.Message}", error)))
            .ConfigureAwait(false);
        var jobPath = await bus.CallAsync(
            Destination, ManagerPath, ManagerInterface, method, "ss",
            (ref MessageWriter w) =>
            {
                w.WriteString(unitName);
                w.WriteString("replace");
            },
            ReadObjectPath).ConfigureAwait(false);

        using var deadline = new CancellationTokenSource(JobTimeout, time ?? TimeProvider.System);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var ourJobEnded = false;
        UnitState? last = null;
        try
        {
            while (true)
            {
                var job = await removed.Reader.ReadAsync(waiting.Token).ConfigureAwait(false);
                if (!ourJobEnded && job.Path != jobPath)
                {
                    continue; // an older job of the same unit, replaced by ours
                }

                ourJobEnded = true;
                last = await GetUnitStateAsync(unitName).ConfigureAwait(false);
                if (done(last))
                {
                    return;
                }

                if (last.SubState != "auto-restart")
                {
                    // No further job is coming: waiting longer cannot help.
                    throw new UnitFailedException(unitName, last, $"{unitName} is {last} after {method} (job {job.Result}); {JournalHint(unitName)}");
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new WaitTimeoutException(
                $"{unitName} to become {goal} after {method}",
                JobTimeout,
                null,
                last is null ? $"job {jobPath} still running; {JournalHint(unitName)}" : $"{unitName} is {last}; {JournalHint(unitName)}");
        }
    }

    private static string JournalHint(string unitName) => $"see `journalctl --user -u {unitName}`";

    private Task<VariantValue> GetPropertyAsync(string path, string @interface, string property) =>
        bus.CallAsync(
            Destination,
            path,
            PropertiesInterface,
            "Get",
            "ss",
            (ref MessageWriter w) =>
            {
                w.WriteString(@interface);
                w.WriteString(property);
            },
            static (message, _) => message.GetBodyReader().ReadVariantValue());

    private Task CallManagerAsync(string member, string? signature, WriteArguments? write) =>
        bus.CallAsync(Destination, ManagerPath, ManagerInterface, member, signature, write, ReadNothing);

    private static bool ReadNothing(Message message, object? state) => true;

    private static string ReadObjectPath(Message message, object? state) => message.GetBodyReader().ReadObjectPathAsString();

    private static JobRemoved ReadJobRemoved(Message message, object? state)
    {
        var reader = message.GetBodyReader();
        reader.ReadUInt32();
        return new JobRemoved(reader.ReadObjectPathAsString(), reader.ReadString(), reader.ReadString());
    }

    /// <summary>The JobRemoved signal's job path, unit and result ("done", "failed", "canceled", "timeout", ...).</summary>
    private sealed record JobRemoved(string Path, string Unit, string Result);
}
