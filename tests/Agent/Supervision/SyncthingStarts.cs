using System.Text.Json.Nodes;
using Thopter.Shared.Timing;

namespace Thopter.Tests.Agent.Supervision;

/// <summary>Tells SyncThing instances apart by the start time its REST API reports (a restart changes it).</summary>
internal static class SyncthingStarts
{
    /// <summary>Waits until the API answers with a start time other than <paramref name="previous"/> and returns it.</summary>
    public static async Task<string> WaitForNewAsync(HttpClient api, string? previous, Func<Task<string>> describeFailure)
    {
        string? current = null;
        await Wait.UntilAsync(
            previous is null ? "SyncThing's REST API" : "a restarted SyncThing",
            async cancellationToken =>
            {
                var status = JsonNode.Parse(await api.GetStringAsync("rest/system/status", cancellationToken));
                current = status?["startTime"]?.GetValue<string>();
                return current is not null && current != previous;
            },
            TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(60),
            describeFailure);
        return current!;
    }
}
