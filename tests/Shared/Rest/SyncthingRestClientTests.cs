using System.Net;
using System.Text.Json.Nodes;
using Thopter.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Shared.Rest;

public sealed class SyncthingRestClientTests : IDisposable
{
    private const string Key = "s3cr3t-KEY-abcdef123456";
    private readonly FakeSyncthingHandler handler = new();
    private readonly SyncthingRestClient client;

    public SyncthingRestClientTests()
    {
        client = new SyncthingRestClient(new Uri("http://127.0.0.1:8384"), new SyncthingApiKey(Key), handler, TimeSpan.FromSeconds(5));
    }

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task Sends_the_api_key_header_on_every_request()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("{\"ping\":\"pong\"}"));

        await client.PingAsync();

        var request = Assert.Single(handler.Requests);
        Assert.Equal(Key, request.ApiKey);
        Assert.Equal("/rest/system/ping", request.PathAndQuery);
    }

    [Fact]
    public async Task Ping_rejects_an_answer_that_is_not_pong()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("{\"ping\":\"nope\"}"));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.PingAsync());

        Assert.Equal(SyncthingApiErrorKind.BadResponse, error.Kind);
    }

    [Fact]
    public async Task Reads_system_status_and_version()
    {
        handler.Respond = request => Task.FromResult(FakeSyncthingHandler.Json(request.RequestUri!.AbsolutePath switch
        {
            "/rest/system/status" => """{"myID":"AAAAAAA-BBBBBBB","uptime":42,"alloc":1,"startTime":"2026-01-01T00:00:00.123456789Z"}""",
            _ => """{"version":"v1.19.2","longVersion":"syncthing v1.19.2 \"Fermium Flea\"","os":"linux","arch":"amd64"}""",
        }));

        var status = await client.GetSystemStatusAsync();
        var version = await client.GetVersionAsync();

        Assert.Equal("AAAAAAA-BBBBBBB", status.MyId);
        Assert.Equal(42, status.Uptime);
        Assert.Equal("v1.19.2", version.Version);
        Assert.Equal("linux", version.Os);
    }

    [Fact]
    public async Task Scan_sends_folder_and_every_sub_path_escaped()
    {
        await client.ScanAsync("my folder", ["a b/c.txt", "d&e"]);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/rest/db/scan?folder=my%20folder&sub=a%20b%2Fc.txt&sub=d%26e", request.PathAndQuery);
    }

    [Fact]
    public async Task Connections_tell_relayed_from_direct()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("""
            {"total":{},"connections":{
              "DEV-A":{"connected":true,"address":"127.0.0.1:22001","type":"tcp-client","paused":false},
              "DEV-B":{"connected":true,"address":"relay://10.0.0.1:22067","type":"relay-client"},
              "DEV-C":{"connected":false,"address":"","type":""}}}
            """));

        var connections = await client.GetConnectionsAsync();

        Assert.False(connections["DEV-A"].IsRelayed);
        Assert.Equal("127.0.0.1:22001", connections["DEV-A"].Address);
        Assert.True(connections["DEV-B"].IsRelayed);
        Assert.False(connections["DEV-C"].Connected);
    }

    [Fact]
    public async Task Completion_and_folder_status_pass_their_query()
    {
        handler.Respond = request => Task.FromResult(FakeSyncthingHandler.Json(request.RequestUri!.AbsolutePath == "/rest/db/completion"
            ? """{"completion":99.5,"needBytes":10,"needItems":1,"globalBytes":100,"sequence":7}"""
            : """{"state":"idle","needTotalItems":0,"errors":0,"invalid":"","globalBytes":5}"""));

        var completion = await client.GetCompletionAsync("f1", "DEV-A");
        var status = await client.GetFolderStatusAsync("f1");

        Assert.Equal(99.5, completion.Completion);
        Assert.Equal(10, completion.NeedBytes);
        Assert.Equal("idle", status.State);
        Assert.Equal("/rest/db/completion?folder=f1&device=DEV-A", handler.Requests[0].PathAndQuery);
        Assert.Equal("/rest/db/status?folder=f1", handler.Requests[1].PathAndQuery);
    }

    [Fact]
    public async Task Events_pass_since_types_and_whole_second_timeout()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("""
            [{"id":5,"globalID":9,"type":"StateChanged","time":"2026-01-01T00:00:00.000000001Z","data":{"folder":"f1","from":"scanning","to":"idle"}}]
            """));

        var events = await client.GetEventsAsync(4, ["StateChanged", "FolderSummary"], TimeSpan.FromMilliseconds(1500));

        var single = Assert.Single(events);
        Assert.Equal(5, single.Id);
        Assert.Equal(9, single.GlobalId);
        Assert.Equal("idle", single.DataString("to"));
        Assert.Null(single.DataString("missing"));
        Assert.Equal("/rest/events?since=4&timeout=2&events=StateChanged%2CFolderSummary", handler.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task Errors_null_list_reads_as_empty()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("""{"errors":null}"""));

        Assert.Empty(await client.GetErrorsAsync());
    }

    [Fact]
    public async Task Errors_are_listed()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("""{"errors":[{"when":"2026-01-01T00:00:00Z","message":"Folder x: path missing","level":3}]}"""));

        var line = Assert.Single(await client.GetErrorsAsync());

        Assert.Equal("Folder x: path missing", line.Message);
    }

    [Fact]
    public async Task Folder_put_round_trips_fields_we_do_not_model()
    {
        handler.Respond = request => Task.FromResult(request.Method == HttpMethod.Get
            ? FakeSyncthingHandler.Json("""{"id":"f1","path":"/x","rescanIntervalS":3600,"fsWatcherEnabled":true,"fsWatcherDelayS":10,"maxConflicts":7,"versioning":{"type":"simple"},"devices":[{"deviceID":"D1","introducedBy":"","encryptionPassword":""}]}""")
            : FakeSyncthingHandler.Json(string.Empty));

        var folder = (await client.GetFolderAsync("f1"))!;
        folder.FsWatcherDelayS = 1;
        await client.PutFolderAsync(folder);

        var put = handler.Requests[1];
        Assert.Equal(HttpMethod.Put, put.Method);
        Assert.Equal("/rest/config/folders/f1", put.PathAndQuery);
        var body = JsonNode.Parse(put.Body!)!.AsObject();
        Assert.Equal(1, body["fsWatcherDelayS"]!.GetValue<double>());
        Assert.Equal(7, body["maxConflicts"]!.GetValue<int>());
        Assert.Equal("simple", body["versioning"]!["type"]!.GetValue<string>());
        Assert.Equal("", body["devices"]![0]!["encryptionPassword"]!.GetValue<string>());
        Assert.Equal("D1", body["devices"]![0]!["deviceID"]!.GetValue<string>());
    }

    [Fact]
    public async Task New_device_put_sends_only_what_is_set()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json(string.Empty));

        await client.PutDeviceAsync(new RestDevice { DeviceId = "DEV-A", Name = "box", Addresses = ["tcp://127.0.0.1:22001"] });

        var body = JsonNode.Parse(handler.Requests[0].Body!)!.AsObject();
        Assert.Equal(["deviceID", "name", "addresses"], body.Select(p => p.Key));
        Assert.Equal("/rest/config/devices/DEV-A", handler.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task Missing_folder_or_device_is_null_and_delete_of_missing_is_false()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Text("No folder with given ID", HttpStatusCode.NotFound));

        Assert.Null(await client.GetFolderAsync("nope"));
        Assert.Null(await client.GetDeviceAsync("nope"));
        Assert.False(await client.DeleteFolderAsync("nope"));
        Assert.False(await client.DeleteDeviceAsync("nope"));
    }

    [Fact]
    public async Task Delete_of_an_existing_item_is_true()
    {
        handler.Respond = request => Task.FromResult(FakeSyncthingHandler.Json(request.Method == HttpMethod.Get ? "{\"deviceID\":\"DEV-A\"}" : string.Empty));

        Assert.True(await client.DeleteDeviceAsync("DEV-A"));
        Assert.Equal(HttpMethod.Delete, handler.Requests[1].Method);
        Assert.Equal("/rest/config/devices/DEV-A", handler.Requests[1].PathAndQuery);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, SyncthingApiErrorKind.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden, SyncthingApiErrorKind.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound, SyncthingApiErrorKind.NotFound)]
    [InlineData(HttpStatusCode.InternalServerError, SyncthingApiErrorKind.Server)]
    [InlineData(HttpStatusCode.BadRequest, SyncthingApiErrorKind.Server)]
    public async Task Http_status_maps_to_an_error_kind_with_a_fix(HttpStatusCode status, SyncthingApiErrorKind kind)
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Text($"bad thing; you sent {Key}", status));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.GetSystemStatusAsync());

        Assert.Equal(kind, error.Kind);
        Assert.Equal((int)status, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
        AssertNoKey(error);
    }

    [Fact]
    public async Task Connection_refused_is_unreachable_and_says_how_to_start_syncthing()
    {
        handler.Respond = _ => throw new HttpRequestException($"Connection refused (127.0.0.1:8384) {Key}");

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.PingAsync());

        Assert.Equal(SyncthingApiErrorKind.Unreachable, error.Kind);
        Assert.Contains("syncthing serve", error.Fix, StringComparison.Ordinal);
        AssertNoKey(error);
    }

    [Fact]
    public async Task A_hung_server_is_a_timeout_not_a_hang()
    {
        using var quick = new SyncthingRestClient(new Uri("http://127.0.0.1:8384"), new SyncthingApiKey(Key), new HangingHandler(), TimeSpan.FromMilliseconds(100));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => quick.GetSystemStatusAsync());

        Assert.Equal(SyncthingApiErrorKind.Timeout, error.Kind);
        Assert.Contains("/rest/system/status", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_stays_cancellation()
    {
        using var quick = new SyncthingRestClient(new Uri("http://127.0.0.1:8384"), new SyncthingApiKey(Key), new HangingHandler());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quick.GetSystemStatusAsync(cts.Token));
    }

    [Theory]
    [InlineData("<html>hello</html>")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    public async Task Non_json_or_wrong_shape_is_a_bad_response(string body)
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json(body));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.GetSystemStatusAsync());

        Assert.Equal(SyncthingApiErrorKind.BadResponse, error.Kind);
    }

    [Fact]
    public void The_key_is_masked_when_printed()
    {
        var key = new SyncthingApiKey(Key);

        Assert.DoesNotContain(Key, key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, $"{key}", StringComparison.Ordinal);
        Assert.Equal(Key, key.Reveal());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    public void Empty_or_malformed_keys_are_rejected(string value)
    {
        Assert.Throws<ArgumentException>(() => new SyncthingApiKey(value));
    }

    private static void AssertNoKey(SyncthingApiException error)
    {
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
