using System.Globalization;
using Thopter.Laptop.Agent;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Transport;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;

namespace Thopter.Laptop.Pairing;

/// <summary>
/// Waits, step by step, until a freshly paired devbox is connected and the initial sync is complete both ways.
/// A timeout names the step that stalled and what was last seen.
/// </summary>
public sealed class SyncWaiter(SyncthingRestClient client, string folderId, string devbox, DeviceId device, AgentClient? agent, Progress progress, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(20);
    private string lastSeen = "nothing yet";

    public async Task WaitConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = device.ToString();
        await Wait.UntilAsync(
            $"step \"connect\": devbox \"{devbox}\" ({device.Short}) to connect to the laptop's SyncThing",
            async ct =>
            {
                var connections = await client.GetConnectionsAsync(ct).ConfigureAwait(false);
                var connected = connections.TryGetValue(id, out var c) && c.Connected;
                lastSeen = connected ? $"connected via {c!.Address} ({c.Type})" : "not connected";
                progress.Update($"{devbox}: waiting for the connection ({lastSeen})");
                return connected;
            },
            Interval,
            timeout,
            DescribeAsync,
            time,
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
        await Wait.UntilAsync(
            $"step \"initial sync\": folder \"{folderId}\" to be complete on the laptop and on devbox \"{devbox}\"",
            async ct =>
            {
                var remote = await client.GetCompletionAsync(folderId, device.ToString(), ct).ConfigureAwait(false);
                var local = await client.GetFolderStatusAsync(folderId, ct).ConfigureAwait(false);
                var devboxState = agent is null ? "idle" : await DevboxFolderStateAsync(ct).ConfigureAwait(false);
                lastSeen = string.Create(
                    CultureInfo.InvariantCulture,
                    $"devbox at {remote.Completion:0.#} % ({remote.NeedItems} items to send), laptop {local.State} needing {local.NeedTotalItems} items, devbox folder {devboxState}");
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
            Interval,
            timeout,
            DescribeAsync,
            time,
            cancellationToken).ConfigureAwait(false);
        progress.Step($"{devbox}: in sync");
    }

    private async Task<string> DevboxFolderStateAsync(CancellationToken cancellationToken)
    {
        var status = await agent!.StatusAsync(AgentTimeout, cancellationToken).ConfigureAwait(false);
        if (DevboxText.Bool(status["laptopConnected"]) != true)
        {
            return "waiting for the laptop";
        }

        var folder = (status["folders"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(f => DevboxText.String(f["id"]) == folderId);
        return DevboxText.String(folder?["state"]) ?? "not configured";
    }

    private async Task<string> DescribeAsync()
    {
        progress.EndUpdate();
        var errors = await client.GetErrorsAsync().ConfigureAwait(false);
        var recent = errors.TakeLast(3).Select(e => e.Message);
        return $"last seen: {lastSeen}" + (errors.Count > 0 ? $"\nlaptop SyncThing errors: {string.Join(" | ", recent)}" : string.Empty);
    }
}
