using System.Text.RegularExpressions;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;
using Xunit;

namespace Thopter.Tests.Shared.Rest;

public sealed partial class SyncthingEventStreamTests : IDisposable
{
    private readonly FakeSyncthingHandler handler = new();
    private readonly SyncthingRestClient client;
    private readonly Queue<string> batches = new();

    public SyncthingEventStreamTests()
    {
        client = new SyncthingRestClient(new Uri("http://127.0.0.1:8384"), new SyncthingApiKey("k123"), handler);
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json(batches.Count > 0 ? batches.Dequeue() : "[]"));
    }

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task Start_skips_history_and_wait_passes_the_cursor_on()
    {
        batches.Enqueue("""[{"id":3,"type":"StateChanged","data":{}},{"id":4,"type":"StateChanged","data":{}}]""");
        batches.Enqueue("""[{"id":5,"type":"StateChanged","data":{"folder":"a","to":"scanning"}}]""");
        batches.Enqueue("""[{"id":6,"type":"StateChanged","data":{"folder":"a","to":"idle"}}]""");
        var stream = new SyncthingEventStream(client, ["StateChanged"]);

        await stream.StartAsync();
        var idle = await stream.WaitForAsync("folder a idle", e => e.DataString("to") == "idle", TimeSpan.FromSeconds(10));

        Assert.Equal(6, idle.Id);
        Assert.Equal(6, stream.LastId);
        var polls = handler.Requests.Select(r => SinceAndTimeout().Match(r.Uri.Query)).ToList();
        Assert.Equal(["0", "4", "5"], polls.Select(m => m.Groups[1].Value));
        Assert.Equal("0", polls[0].Groups[2].Value);
        Assert.All(polls.Skip(1), m => Assert.InRange(int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 10));
    }

    [Fact]
    public async Task Timeout_names_the_wait_and_the_last_events()
    {
        batches.Enqueue("""[{"id":1,"type":"StateChanged","data":{"to":"scanning"}}]""");
        var stream = new SyncthingEventStream(client, ["StateChanged"]);

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() =>
            stream.WaitForAsync("folder a idle", e => false, TimeSpan.FromMilliseconds(1)));

        Assert.Contains("waiting for folder a idle", error.Message, StringComparison.Ordinal);
        Assert.Contains("scanning", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex("since=(\\d+)&timeout=(\\d+)")]
    private static partial Regex SinceAndTimeout();
}
