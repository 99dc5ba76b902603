using Thopter.Laptop.Conflicts.Collection;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness;
using Xunit;

namespace Thopter.Tests.Shared.Rest;

/// <summary>
/// The REST client against the real SyncThing binary (loopback only, all discovery off), once per release of the
/// version matrix: the nested class in the test name says which.
/// </summary>
[Trait("Category", "Integration")]
public abstract class SyncthingRestClientRealTests(string version) : IAsyncLifetime
{
    private readonly SyncthingBinary syncthing = SyncthingBinary.Of(version);
    private readonly TempDirectory root = new();
    private SyncthingTestHome home = null!;
    private SyncthingProcess process = null!;
    private SyncthingRestClient client = null!;

    public async Task InitializeAsync()
    {
        home = SyncthingTestHome.Create(root.Combine("st"), "laptop", version);
        process = await SyncthingProcess.StartAsync(syncthing, home.HomeDir);
        client = new SyncthingRestClient(home.BaseAddress, new SyncthingApiKey(home.ApiKey));
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await process.DisposeAsync();
        root.Dispose();
    }

    [Fact]
    public async Task Ping_status_version_and_options_read_what_syncthing_reports()
    {
        await client.PingAsync();
        var status = await client.GetSystemStatusAsync();
        var version = await client.GetVersionAsync();
        var options = await client.GetOptionsAsync();
        var config = await client.GetConfigAsync();

        Assert.Equal(home.DeviceId.ToString(), status.MyId);
        Assert.True(status.Uptime >= 0);
        Assert.StartsWith("v", version.Version, StringComparison.Ordinal);
        Assert.False(options.RelaysEnabled);
        Assert.False(options.GlobalAnnounceEnabled);
        Assert.Equal([$"tcp://127.0.0.1:{home.ListenPort}"], options.ListenAddresses);
        Assert.Contains(config.Devices, d => d.DeviceId == home.DeviceId.ToString());
        Assert.NotNull(config.ExtensionData);
        Assert.True(config.ExtensionData!.ContainsKey("gui"));
    }

    [Fact]
    public async Task Devices_can_be_added_read_and_removed_idempotently()
    {
        var other = SyncthingTestHome.Create(root.Combine("other"), "other", version);
        var id = other.DeviceId.ToString();

        await client.PutDeviceAsync(new RestDevice { DeviceId = id, Name = "box1", Addresses = [other.ListenAddress] });
        var device = await client.GetDeviceAsync(id);

        Assert.NotNull(device);
        Assert.Equal("box1", device!.Name);
        Assert.Equal([other.ListenAddress], device.Addresses);
        Assert.NotNull(device.Compression);
        Assert.True(await client.DeleteDeviceAsync(id));
        Assert.False(await client.DeleteDeviceAsync(id));
        Assert.Null(await client.GetDeviceAsync(id));
    }

    [Fact]
    public async Task Folder_put_keeps_syncthing_defaults_and_round_trips_unmodeled_fields()
    {
        var path = Directory.CreateDirectory(root.Combine("f1")).FullName;

        await client.PutFolderAsync(new RestFolder { Id = "f1", Label = "F1", Path = path, FsWatcherDelayS = 1, RescanIntervalS = 3600, FsWatcherEnabled = true });
        var folder = (await client.GetFolderAsync("f1"))!;
        var maxConflicts = folder.ExtensionData!["maxConflicts"].GetInt32();
        folder.Label = "renamed";
        await client.PutFolderAsync(folder);
        var after = (await client.GetFolderAsync("f1"))!;

        Assert.Equal(1, after.FsWatcherDelayS);
        Assert.Equal(3600, after.RescanIntervalS);
        Assert.Equal("sendreceive", after.Type);
        Assert.Equal("renamed", after.Label);
        Assert.Equal(maxConflicts, after.ExtensionData!["maxConflicts"].GetInt32());
        Assert.Contains("f1", (await client.GetFoldersAsync()).Select(f => f.Id));
        Assert.True(await client.DeleteFolderAsync("f1"));
        Assert.Null(await client.GetFolderAsync("f1"));
    }

    [Fact]
    public async Task Scan_returns_after_the_scan_and_events_arrive_without_polling()
    {
        var path = Directory.CreateDirectory(root.Combine("f2")).FullName;
        await client.PutFolderAsync(new RestFolder { Id = "f2", Path = path, FsWatcherEnabled = false, RescanIntervalS = 3600 });
        await Wait.UntilAsync(
            "folder f2 to finish its first scan",
            async ct => (await client.GetFolderStatusAsync("f2", ct)).State == "idle",
            TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(30),
            () => Task.FromResult(process.Describe("f2 not idle")));

        var stream = new SyncthingEventStream(client, ["LocalIndexUpdated"]);
        await stream.StartAsync();
        File.WriteAllText(Path.Combine(path, "new.txt"), "hello");

        await client.ScanAsync("f2", ["new.txt"]);
        var status = await client.GetFolderStatusAsync("f2");
        var indexed = await stream.WaitForAsync("f2's index update", e => e.DataString("folder") == "f2", TimeSpan.FromSeconds(10));
        var completion = await client.GetCompletionAsync("f2");

        Assert.Equal(1, status.LocalFiles);
        Assert.Equal("LocalIndexUpdated", indexed.Type);
        Assert.Equal(100, completion.Completion);
    }

    /// <summary>
    /// The conflict collector reads who made a change from SyncThing's disk events, asked only when a copy turns up: they
    /// must be there from SyncThing's start, with the path as the folder-relative name and the maker's short ID.
    /// </summary>
    [Fact]
    public async Task Disk_changes_are_kept_from_the_start_and_name_who_made_each()
    {
        var path = Directory.CreateDirectory(root.Combine("f3")).FullName;
        Directory.CreateDirectory(Path.Combine(path, "sub"));
        File.WriteAllText(Path.Combine(path, "sub", "made-here.txt"), "hello");
        await client.PutFolderAsync(new RestFolder { Id = "f3", Path = path, FsWatcherEnabled = false, RescanIntervalS = 3600 });
        var origins = new RestVersionOrigins(client);
        var expected = new DiskChange("f3", "sub/made-here.txt", true, home.DeviceId.ToString()[..7]);

        await Wait.UntilAsync(
            "the first scan's change among SyncThing's disk events",
            async ct => (await origins.DiskChangesAsync(ct)).Contains(expected),
            TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(30),
            () => Task.FromResult(process.Describe("no disk change for sub/made-here.txt")));
    }

    [Fact]
    public async Task Errors_list_reads()
    {
        var errors = await client.GetErrorsAsync();

        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
    }

    [Fact]
    public async Task Missing_folder_is_null_and_scanning_it_is_a_server_error()
    {
        Assert.Null(await client.GetFolderAsync("no-such-folder"));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.ScanAsync("no-such-folder", []));

        Assert.Equal(SyncthingApiErrorKind.Server, error.Kind);
    }

    [Fact]
    public async Task Wrong_key_is_unauthorized_and_the_key_is_not_in_the_message()
    {
        const string wrong = "wrongKeyWrongKeyWrongKey123";
        using var bad = new SyncthingRestClient(home.BaseAddress, new SyncthingApiKey(wrong));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => bad.GetSystemStatusAsync());

        Assert.Equal(SyncthingApiErrorKind.Unauthorized, error.Kind);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(home.ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_port_is_unreachable()
    {
        using var nowhere = new SyncthingRestClient(new Uri($"http://127.0.0.1:{FreePort.Next()}/"), new SyncthingApiKey(home.ApiKey));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => nowhere.PingAsync());

        Assert.Equal(SyncthingApiErrorKind.Unreachable, error.Kind);
        Assert.DoesNotContain(home.ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_instances_introduced_through_rest_connect_directly()
    {
        var peerHome = SyncthingTestHome.Create(root.Combine("peer"), "peer", version);
        await using var peer = await SyncthingProcess.StartAsync(syncthing, peerHome.HomeDir);
        using var peerClient = new SyncthingRestClient(peerHome.BaseAddress, new SyncthingApiKey(peerHome.ApiKey));

        await client.PutDeviceAsync(new RestDevice { DeviceId = peerHome.DeviceId.ToString(), Name = "peer", Addresses = [peerHome.ListenAddress] });
        await peerClient.PutDeviceAsync(new RestDevice { DeviceId = home.DeviceId.ToString(), Name = "laptop", Addresses = [home.ListenAddress] });
        await Wait.UntilAsync(
            "the two SyncThings to connect",
            async ct => (await client.GetConnectionsAsync(ct)).TryGetValue(peerHome.DeviceId.ToString(), out var c) && c.Connected,
            TimeSpan.FromMilliseconds(200),
            TimeSpan.FromSeconds(60),
            () => Task.FromResult(process.Describe("laptop side") + "\n" + peer.Describe("peer side")));

        var connection = (await client.GetConnectionsAsync())[peerHome.DeviceId.ToString()];
        Assert.False(connection.IsRelayed);
        Assert.StartsWith("tcp-", connection.Type, StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", connection.Address, StringComparison.Ordinal);
    }

    public sealed class V1_19_2() : SyncthingRestClientRealTests(SyncthingBinary.V1_19);

    public sealed class V1_29_5() : SyncthingRestClientRealTests(SyncthingBinary.V1_29);
}
