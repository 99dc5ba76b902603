using System.Globalization;
using Thopter.Laptop.Agent;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Syncthing;
using Thopter.Laptop.Transport;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// Waits, step by step, until a freshly paired devbox is connected and the initial sync is complete both ways.
/// A timeout names the step that stalled and what was last seen. A side that is gone ends the wait at once instead:
/// the laptop's SyncThing refusing connections for <see cref="LaptopGoneAfter"/>, or the devbox failing its transport's
/// <c>echo ok</c> twice in a row (checked every <see cref="DevboxProbeInterval"/> while it is not connected, and
/// whenever its agent does not answer).
/// </summary>
public sealed class SyncWaiter(SyncthingSession session, string devbox, DeviceId device, AgentClient? agent, Progress progress, TimeProvider time)
{
    /// <summary>Long enough for SyncThing to restart itself, short enough that a dead one is reported within seconds.</summary>
    public static readonly TimeSpan LaptopGoneAfter = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DevboxProbeInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);
    private readonly SyncthingRestClient client = session.Client;
    private readonly string folderId = session.FolderId;
    private string lastSeen = "nothing yet";
    private string step = string.Empty;
    private long? laptopRefusingSince;
    private long? lastProbe;
    private int failedProbes;
    private ThopterException? gone;

    public async Task WaitConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = device.ToString();
        await StepAsync(
            "connect",
            $"devbox \"{devbox}\" ({device.Short}) to connect to the laptop's SyncThing",
            async ct =>
            {
                var connections = await client.GetConnectionsAsync(ct).ConfigureAwait(false);
                var connected = connections.TryGetValue(id, out var c) && c.Connected;
                lastSeen = connected ? $"connected via {c!.Address} ({c.Type})" : "not connected";
                progress.Update($"{devbox}: waiting for the connection ({lastSeen})");
                if (!connected)
                {
                    await ProbeDevboxAsync(force: false, ct).ConfigureAwait(false);
                }

                return connected;
            },
            timeout,
            cancellationToken).ConfigureAwait(false);
        progress.Step($"{devbox}: {lastSeen}");
    }

    /// <summary>
    /// Complete both ways: the laptop sees the devbox at 100 % of the folder, the laptop itself needs nothing and is
    /// idle, and the devbox's own SyncThing reports its folder idle and the laptop connected. It must hold on two polls
    /// in a row, so an index still in flight right after connecting cannot pass for "done".
    /// </summary>
    public async Task WaitInSyncAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stableSince = (long?)null;
        await StepAsync(
            "initial sync",
            $"folder \"{folderId}\" to be complete on the laptop and on devbox \"{devbox}\"",
            async ct =>
            {
                var remote = await client.GetCompletionAsync(folderId, device.ToString(), ct).ConfigureAwait(false);
                var local = await FolderHealth.ReadAsync(client, folderId, session.FolderPath, ct).ConfigureAwait(false);
                var localState = local.Stopped ? $"stopped: {local.Error} (fix: {local.Fix})" : local.State;
                var devboxState = agent is null ? "idle" : await DevboxFolderStateAsync(ct).ConfigureAwait(false);
                lastSeen = string.Create(
                    CultureInfo.InvariantCulture,
                    $"devbox at {remote.Completion:0.#} % ({remote.NeedItems} items to send), laptop {localState} needing {local.NeedTotalItems} items, devbox folder {devboxState}");
                progress.Update($"{devbox}: syncing: {lastSeen}");
                var done = remote.Completion >= 100 && remote.NeedItems == 0 && local.NeedTotalItems == 0 && local.State == "idle" && devboxState == "idle";
                if (!done)
                {
                    stableSince = null;
                    return false;
                }

                stableSince ??= time.GetTimestamp();
                return time.GetElapsedTime(stableSince.Value) >= TimeSpan.FromSeconds(1);
            },
            timeout,
            cancellationToken).ConfigureAwait(false);
        progress.Step($"{devbox}: in sync");
    }

    private async Task StepAsync(string name, string what, Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        step = name;
        try
        {
            await Wait.UntilAsync($"step \"{name}\": {what}", ct => GuardAsync(condition, ct), Interval, timeout, DescribeAsync, time, cancellationToken).ConfigureAwait(false);
        }
        catch (WaitAbortedException) when (gone is not null)
        {
            progress.EndUpdate();
            throw gone;
        }
    }

    /// <summary>One poll, watching for a side that has gone away: such a wait can never succeed.</summary>
    private async Task<bool> GuardAsync(Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken)
    {
        try
        {
            var result = await condition(cancellationToken).ConfigureAwait(false);
            laptopRefusingSince = null;
            return result;
        }
        catch (SyncthingApiException error) when (error.Kind == SyncthingApiErrorKind.Unreachable)
        {
            laptopRefusingSince ??= time.GetTimestamp();
            if (time.GetElapsedTime(laptopRefusingSince.Value) >= LaptopGoneAfter)
            {
                Abort(new ThopterException(
                    ErrorKind.SyncthingUnreachable,
                    $"the laptop's SyncThing at {session.Endpoint.Address} stopped answering during step \"{step}\" ({error.Message}, for {LaptopGoneAfter.TotalSeconds:0} s)",
                    $"start SyncThing again, then run `thopter sync pair {devbox}` (it picks up where this one stopped)",
                    error));
            }

            throw;
        }
        catch (ThopterException error) when (error.Kind != ErrorKind.Cancelled)
        {
            // The agent did not answer: is the devbox itself still there?
            await ProbeDevboxAsync(force: true, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>`echo ok` through the transport (at most every <see cref="DevboxProbeInterval"/> unless forced); two failures in a row end the wait.</summary>
    private async Task ProbeDevboxAsync(bool force, CancellationToken cancellationToken)
    {
        if (agent is null || (!force && lastProbe is { } last && time.GetElapsedTime(last) < DevboxProbeInterval))
        {
            return;
        }

        lastProbe = time.GetTimestamp();
        try
        {
            await agent.Transport.CheckReachableAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false);
            failedProbes = 0;
        }
        catch (ThopterException failure) when (failure.Kind == ErrorKind.DevboxUnreachable)
        {
            if (++failedProbes >= 2)
            {
                Abort(new ThopterException(failure.Kind, $"devbox \"{devbox}\" went away during step \"{step}\": {failure.Message}", failure.Fix, failure));
            }
        }
    }

    private void Abort(ThopterException failure)
    {
        gone = failure;
        throw new WaitAbortedException(failure.Message);
    }

    private async Task<string> DevboxFolderStateAsync(CancellationToken cancellationToken)
    {
        var status = await agent!.StatusAsync(AgentTimeout, cancellationToken).ConfigureAwait(false);
        if (!status.LaptopConnected)
        {
            return "waiting for the laptop";
        }

        var folder = status.Folders?.FirstOrDefault(f => f?.Id == folderId);
        var state = DevboxText.String(folder?.State) ?? "not configured";
        return state == "error"
            ? $"stopped: {DevboxText.String(folder?.Error) ?? "no reason given"} (fix on the devbox: {DevboxText.String(folder?.Fix) ?? "see its SyncThing log"})"
            : state;
    }

    private async Task<string> DescribeAsync()
    {
        progress.EndUpdate();
        var errors = await client.GetErrorsAsync().ConfigureAwait(false);
        var recent = errors.TakeLast(3).Select(e => e.Message);
        return $"last seen: {lastSeen}" + (errors.Count > 0 ? $"\nlaptop SyncThing errors: {string.Join(" | ", recent)}" : string.Empty);
    }
}
