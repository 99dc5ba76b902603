using System.Text.Json;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Host;
using Thopter.Laptop.Daemon.State;
using Thopter.Laptop.Status;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Rest;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>The daemon's pure parts: SyncThing events into per-devbox state and events, versions, its private directory and lock.</summary>
public sealed class DaemonStateTests : IDisposable
{
    private const string Box = "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG-HHHHHHH";
    private static readonly IReadOnlyList<(string Id, string Path)> Folders = [("code", "/home/dev/code"), ("notes@box1", "/home/dev/notes/box1")];
    private readonly TempDirectory directory = new();
    private readonly EventHub hub = new();
    private readonly LaptopState state;

    public DaemonStateTests()
    {
        state = new LaptopState(hub, TimeProvider.System);
        state.Configure("http://127.0.0.1:8384/", Folders, new Dictionary<string, string> { ["box1"] = Box });
    }

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Connection_events_change_the_devbox_and_are_published()
    {
        using var stop = new CancellationTokenSource();
        var events = hub.Subscribe(stop.Token);

        Apply("DeviceConnected", $$"""{"id":"{{Box}}","addr":"127.0.0.1:22001","type":"tcp-client"}""");
        var connected = state.Snapshot(null).Devboxes.Single();
        Apply("DeviceDisconnected", $$"""{"id":"{{Box}}","error":"EOF"}""");
        var disconnected = state.Snapshot("box1").Devboxes.Single();

        Assert.True(connected.Connected);
        Assert.Equal("127.0.0.1:22001", connected.Address);
        Assert.False(disconnected.Connected);
        Assert.Equal("EOF", disconnected.LastError);
        Assert.True(disconnected.LastActivity > 0);
        Assert.Equal(DaemonEvent.Types.Kind.Connected, (await events.ReadAsync()).Kind);
        var down = await events.ReadAsync();
        Assert.Equal((DaemonEvent.Types.Kind.Disconnected, "box1"), (down.Kind, down.Devbox));
    }

    [Fact]
    public void Completion_counts_only_for_the_synced_folder_and_unknown_devices_are_ignored()
    {
        Apply("FolderCompletion", $$"""{"device":"{{Box}}","folder":"other","completion":10,"needItems":9}""");
        Apply("FolderCompletion", $$"""{"device":"{{Box}}","folder":"code","completion":99.5,"needItems":2}""");
        Apply("DeviceConnected", """{"id":"ZZZZZZZ-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG-HHHHHHH","addr":"x","type":"tcp-client"}""");

        var row = state.Snapshot(null).Devboxes.Single();
        Assert.True(row.HasCompletion);
        Assert.Equal(99.5, row.Completion);
        Assert.Equal(2, row.NeedItems);
        Assert.False(row.Connected);
    }

    [Fact]
    public void A_conflict_copy_in_the_local_index_asks_for_a_recount_and_config_changes_for_a_refresh()
    {
        Assert.Equal(SyncthingEventApplier.FollowUp.RecountConflicts,
            Apply("LocalIndexUpdated", """{"folder":"code","items":1,"filenames":["src/a.sync-conflict-20260101-120000-AAAAAAA.txt"]}"""));
        Assert.Equal(SyncthingEventApplier.FollowUp.None, Apply("LocalIndexUpdated", """{"folder":"code","items":1,"filenames":["src/a.txt"]}"""));
        Assert.Equal(SyncthingEventApplier.FollowUp.Refresh, Apply("ConfigSaved", "{}"));
    }

    [Fact]
    public void The_folder_entering_or_leaving_the_error_state_asks_for_a_refresh_other_state_changes_do_not()
    {
        Assert.Equal(SyncthingEventApplier.FollowUp.Refresh, Apply("StateChanged", """{"folder":"code","from":"idle","to":"error","error":"folder marker missing"}"""));
        Assert.Equal(SyncthingEventApplier.FollowUp.Refresh, Apply("StateChanged", """{"folder":"code","from":"error","to":"idle"}"""));
        Assert.Equal(SyncthingEventApplier.FollowUp.None, Apply("StateChanged", """{"folder":"code","from":"idle","to":"scanning"}"""));
        Assert.Equal(SyncthingEventApplier.FollowUp.None, Apply("StateChanged", """{"folder":"other","from":"idle","to":"error"}"""));
        Assert.Contains("StateChanged", SyncthingEventApplier.Types);
    }

    [Fact]
    public async Task A_stopped_folder_is_in_the_status_with_its_reason_and_fix_and_is_published()
    {
        using var stop = new CancellationTokenSource();
        var events = hub.Subscribe(stop.Token);

        state.Folder("code", new FolderHealth("error", "folder marker missing", "recreate the marker", 0));
        var stopped = state.Snapshot(null);
        state.Folder("code", new FolderHealth("idle", null, null, 0));
        var running = state.Snapshot(null);

        Assert.Equal(("error", "folder marker missing", "recreate the marker"), (stopped.FolderState, stopped.FolderError, stopped.FolderFix));
        Assert.Equal(("idle", string.Empty, string.Empty), (running.FolderState, running.FolderError, running.FolderFix));
        Assert.Contains("folder marker missing", (await events.ReadAsync()).Detail);
        Assert.Equal(DaemonEvent.Types.Kind.Error, (await events.ReadAsync()).Kind);
        var json = StatusJson.Of(stopped);
        Assert.Equal("error", (string?)json["folderState"]);
        Assert.Equal("recreate the marker", (string?)json["folderFix"]);
    }

    [Fact]
    public async Task Events_of_a_devboxs_own_folder_apply_like_the_default_folders_and_name_their_folder()
    {
        // Bounded: an event that never comes fails the test instead of hanging it.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = hub.Subscribe(stop.Token);

        Assert.Equal(SyncthingEventApplier.FollowUp.None, Apply("RemoteIndexUpdated", $$"""{"device":"{{Box}}","folder":"notes@box1","items":3}"""));
        var synced = await events.ReadAsync(stop.Token);
        Assert.Equal((DaemonEvent.Types.Kind.FilesSynced, "box1", "notes@box1: 3 items announced"), (synced.Kind, synced.Devbox, synced.Detail));
        Assert.Equal(SyncthingEventApplier.FollowUp.RecountConflicts, Apply("LocalIndexUpdated", """{"folder":"notes@box1","items":1,"filenames":["a.sync-conflict-20261121-093015-ABCDEF2.txt"]}"""));
        Assert.StartsWith("notes@box1: ", (await events.ReadAsync(stop.Token)).Detail);
        Apply("FolderErrors", """{"folder":"notes@box1","errors":[{"path":"x.txt","error":"permission denied"}]}""");
        Assert.Equal("notes@box1: x.txt: permission denied", (await events.ReadAsync(stop.Token)).Detail);
        Assert.Equal(SyncthingEventApplier.FollowUp.Refresh, Apply("StateChanged", """{"folder":"notes@box1","from":"idle","to":"error"}"""));

        // The default folder's events read as before; a folder the daemon does not serve is still not ours.
        Apply("RemoteIndexUpdated", $$"""{"device":"{{Box}}","folder":"code","items":2}""");
        Assert.Equal("2 items announced", (await events.ReadAsync(stop.Token)).Detail);
        Assert.Equal(SyncthingEventApplier.FollowUp.None, Apply("RemoteIndexUpdated", $$"""{"device":"{{Box}}","folder":"notes@box2","items":2}"""));
        Assert.Equal(SyncthingEventApplier.FollowUp.None, Apply("LocalIndexUpdated", """{"folder":"other","items":1,"filenames":["a.sync-conflict-20261121-093015-ABCDEF2.txt"]}"""));
        Assert.False(events.TryRead(out _));
    }

    [Fact]
    public async Task An_own_folder_stopped_by_syncthing_is_in_the_status_beside_the_default_folders_state_and_is_published()
    {
        // Bounded: an event that never comes fails the test instead of hanging it.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = hub.Subscribe(stop.Token);

        state.Folder("code", new FolderHealth("idle", null, null, 0));
        state.Folder("notes@box1", new FolderHealth("error", "folder marker missing", "recreate the marker", 0));
        var status = state.Snapshot(null);

        Assert.Equal(("idle", string.Empty), (status.FolderState, status.FolderError));
        Assert.Equal(
            [("code", "/home/dev/code", "idle", ""), ("notes@box1", "/home/dev/notes/box1", "error", "folder marker missing")],
            status.LaptopFolders.Select(f => (f.FolderId, f.FolderPath, f.State, f.Error)));
        Assert.Equal("folder notes@box1 is stopped: folder marker missing", (await events.ReadAsync(stop.Token)).Detail);
        var json = StatusJson.Of(status)["laptopFolders"]!.AsArray();
        Assert.Equal("error", (string?)json[1]!["state"]);
        Assert.Equal("recreate the marker", (string?)json[1]!["fix"]);
    }

    [Fact]
    public void Two_names_with_one_device_id_are_two_rows_and_one_shared_group()
    {
        state.Configure("http://127.0.0.1:8384/", Folders, new Dictionary<string, string> { ["box1"] = Box, ["copy"] = Box });
        Apply("DeviceConnected", $$"""{"id":"{{Box}}","addr":"127.0.0.1:22001","type":"tcp-client"}""");

        var status = state.Snapshot(null);

        Assert.Equal(["box1", "copy"], status.Devboxes.Select(d => d.Name));
        Assert.All(status.Devboxes, d => Assert.True(d.Connected));
        Assert.Equal("copy", state.Snapshot("copy").Devboxes.Single().Name);
        var shared = StatusJson.Of(status)["sharedDeviceIds"]!.AsArray().Single()!;
        Assert.Equal(Box, (string?)shared["deviceId"]);
        Assert.Equal(["box1", "copy"], shared["devboxes"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void Syncthing_going_away_marks_every_devbox_disconnected()
    {
        Apply("DeviceConnected", $$"""{"id":"{{Box}}","addr":"127.0.0.1:22001","type":"tcp-client"}""");

        state.SyncthingReachable(false, "connection refused");

        var status = state.Snapshot(null);
        Assert.False(status.SyncthingReachable);
        Assert.Equal("connection refused", status.LastError);
        Assert.False(status.Devboxes.Single().Connected);
    }

    [Theory]
    [InlineData("0.1.0", "0.1.0", 0)]
    [InlineData("0.1.0", "0.2.0", -1)]
    [InlineData("0.10.0", "0.9.0", 1)]
    [InlineData("0.1.0-dev", "0.1.0", 0)]
    [InlineData("garbage", "0.1.0", -1)]
    public void Versions_compare_numerically(string daemon, string cli, int sign) =>
        Assert.Equal(sign, Math.Sign(DaemonVersion.Compare(daemon, cli)));

    [Fact]
    public void The_private_directory_is_created_0700_a_looser_one_is_tightened_and_a_symlink_refused()
    {
        var fresh = directory.Combine("a", "run");
        PrivateDirectory.Ensure(fresh);
        var loose = directory.Combine("loose");
        Directory.CreateDirectory(loose);
        File.SetUnixFileMode(loose, (UnixFileMode)0b111_101_101);
        PrivateDirectory.Ensure(loose);
        var link = directory.Combine("link");
        Directory.CreateSymbolicLink(link, loose);

        Assert.Equal(PrivateDirectory.Mode, File.GetUnixFileMode(fresh));
        Assert.Equal(PrivateDirectory.Mode, File.GetUnixFileMode(loose));
        Assert.Throws<IOException>(() => PrivateDirectory.Ensure(link));
    }

    [Fact]
    public void Only_one_instance_lock_at_a_time()
    {
        var path = directory.Combine("daemon.lock");
        using (var first = InstanceLock.TryAcquire(path))
        {
            Assert.NotNull(first);
            Assert.Null(InstanceLock.TryAcquire(path));
        }

        using var again = InstanceLock.TryAcquire(path);
        Assert.NotNull(again);
    }

    [Fact]
    public void Paths_use_the_runtime_directory_when_the_session_has_one()
    {
        Assert.Equal("/run/user/1000/thopter/daemon.sock", DaemonPaths.For("/home/dev", "/run/user/1000").Socket);
        Assert.Equal("/home/dev/.local/state/thopter/run/daemon.sock", DaemonPaths.For("/home/dev", null).Socket);
    }

    private SyncthingEventApplier.FollowUp Apply(string type, string data) =>
        SyncthingEventApplier.Apply(new SyncthingEvent { Id = 1, Type = type, Data = JsonDocument.Parse(data).RootElement.Clone() }, state, [.. Folders.Select(f => f.Id)]);
}
