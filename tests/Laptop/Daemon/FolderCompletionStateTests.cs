using System.Text.Json;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.State;
using Thopter.Laptop.Status;
using Thopter.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>Issue 18 item 3: the daemon keeps completion per (SyncThing folder, devbox) for every folder each devbox syncs.</summary>
public sealed class FolderCompletionStateTests
{
    private const string A = "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG-HHHHHHH";
    private const string B = "BBBBBBB-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG-HHHHHHH";
    private static readonly IReadOnlyList<(string Id, string Path)> Folders = [("code", "/home/dev/code"), ("notes@a", "/home/dev/notes/a"), ("notes@b", "/home/dev/notes/b")];
    private readonly LaptopState state = new(new EventHub(), TimeProvider.System);

    public FolderCompletionStateTests()
    {
        state.Configure("http://127.0.0.1:8384/", Folders, new Dictionary<string, string> { ["a"] = A, ["b"] = B });
        state.SyncedFolders(new Dictionary<string, IReadOnlyList<SyncedFolder>>
        {
            ["a"] = [new("code", "code", false), new("notes@a", "notes", true)],
            ["b"] = [new("code", "code", false), new("notes@b", "notes", true)],
        });
    }

    [Fact]
    public void Completion_events_for_two_folders_and_two_devices_land_on_their_own_folder_and_devbox()
    {
        Apply(A, "code", 100, 0);
        Apply(A, "notes@a", 87, 12);
        Apply(B, "notes@b", 50, 3);
        Apply(B, "notes@a", 10, 99);

        var rows = state.Snapshot(null).Devboxes.ToDictionary(d => d.Name);
        var a = rows["a"].Folders.ToDictionary(f => f.FolderId);
        var b = rows["b"].Folders.ToDictionary(f => f.FolderId);

        Assert.Equal(["code", "notes@a"], rows["a"].Folders.Select(f => f.FolderId));
        Assert.Equal((true, 100.0, 0L), (a["code"].HasCompletion, a["code"].Completion, a["code"].NeedItems));
        Assert.Equal((true, 87.0, 12L, true, "notes"), (a["notes@a"].HasCompletion, a["notes@a"].Completion, a["notes@a"].NeedItems, a["notes@a"].Own, a["notes@a"].Name));
        Assert.False(b["code"].HasCompletion);
        Assert.Equal((50.0, 3L), (b["notes@b"].Completion, b["notes@b"].NeedItems));
        Assert.Equal(["code", "notes@b"], rows["b"].Folders.Select(f => f.FolderId));

        // The devbox's own completion fields stay the default folder's.
        Assert.Equal((true, 100.0), (rows["a"].HasCompletion, rows["a"].Completion));
        Assert.False(rows["b"].HasCompletion);
    }

    [Fact]
    public void A_refresh_sets_completions_and_which_folders_the_laptop_shares_and_status_names_the_fix_for_an_unshared_one()
    {
        state.Refresh(
            new Dictionary<string, DeviceConnection>(),
            new Dictionary<string, DeviceStatistics>(),
            new HashSet<string> { A, B },
            new Dictionary<(string Folder, string Device), FolderCompletion>
            {
                [("code", A)] = new() { Completion = 100 },
                [("notes@a", A)] = new() { Completion = 87, NeedItems = 12 },
                [("code", B)] = new() { Completion = 100 },
            },
            new HashSet<(string Folder, string Device)> { ("code", A), ("notes@a", A), ("code", B) });

        var rows = state.Snapshot(null).Devboxes.ToDictionary(d => d.Name);

        Assert.All(rows["a"].Folders, f => Assert.True(f.Shared));
        Assert.False(rows["b"].Folders.Single(f => f.FolderId == "notes@b").Shared);
        Assert.Equal((true, 100.0), (rows["b"].HasCompletion, rows["b"].Completion));
        Assert.Equal("code 100 %, notes@a 87 % (12 items)", StatusJson.FoldersLine(rows["a"]));
        Assert.Equal("code 100 %, notes@b NOT SHARED (fix: thopter sync pair b)", StatusJson.FoldersLine(rows["b"]));
        var json = StatusJson.Of(rows["a"], 0)["folders"]!.AsArray();
        Assert.Equal(["code", "notes@a"], json.Select(f => (string)f!["folderId"]!));
        Assert.Equal(87.0, (double)json[1]!["completion"]!);
    }

    private void Apply(string device, string folder, double completion, long needItems) =>
        SyncthingEventApplier.Apply(
            new SyncthingEvent { Id = 1, Type = "FolderCompletion", Data = JsonDocument.Parse($$"""{"device":"{{device}}","folder":"{{folder}}","completion":{{completion}},"needItems":{{needItems}}}""").RootElement.Clone() },
            state,
            [.. Folders.Select(f => f.Id)]);
}
