using System.Text.Json;
using Thopter.Laptop.Conflicts;
using Thopter.Laptop.Conflicts.Collection;
using Thopter.Shared.Conflicts;
using Thopter.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Laptop.Conflicts;

/// <summary>Whose version a conflict copy holds, from the laptop SyncThing's disk changes (L: laptop, A and B: devboxes).</summary>
public sealed class AsideAuthorTests
{
    private const string Original = "src/app.cs";
    private const string CopyName = "src/app.sync-conflict-20261130-181233-AAAAAAA.cs";
    private static readonly ConflictFile Copy = new(CopyName, Original, ConflictName.TryParse(Path.GetFileName(CopyName))!, true);

    public static TheoryData<string, DiskChange[], string?> Cases => new()
    {
        { "the laptop's edit lost to A's; B announced its own copy of it under the same name since", [L(Original), R(Original, "AAAAAAA"), L(CopyName), R(CopyName, "BBBBBBB")], "LLLLLLL" },
        { "B's version, relayed by the laptop, lost to A's on the laptop", [R(Original, "BBBBBBB"), R(Original, "AAAAAAA"), L(CopyName)], "BBBBBBB" },
        { "the laptop edited again after the winner arrived, before it scanned the copy", [R(Original, "BBBBBBB"), R(Original, "AAAAAAA"), L(Original), L(CopyName)], "BBBBBBB" },
        { "A's edit lost to the laptop's on A, which made the copy", [L(Original), R(CopyName, "AAAAAAA")], "AAAAAAA" },
        { "the copy is not among the changes yet", [L(Original), R(Original, "AAAAAAA")], null },
        { "the changes start with the winner's arrival", [R(Original, "AAAAAAA"), L(CopyName)], null },
        { "the winner's arrival is not among the changes", [L(Original), L(CopyName)], null },
        { "another folder's changes of the same paths", [new("other", Original, false, "BBBBBBB"), R(Original, "AAAAAAA"), L(CopyName)], null },
        { "a copy that came back after it was collected keeps its first maker", [L(Original), R(Original, "AAAAAAA"), L(CopyName), R(CopyName, "BBBBBBB"), R(CopyName, "BBBBBBB")], "LLLLLLL" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Names_the_device_whose_version_the_copy_holds(string situation, DiskChange[] changes, string? expected)
    {
        Assert.True(expected == AsideAuthor.Of(changes, "code", Copy), situation);
    }

    [Fact]
    public void The_laptop_made_a_copy_only_when_its_scan_found_it_first()
    {
        Assert.True(AsideAuthor.MadeHere([L(Original), L(CopyName), R(CopyName, "BBBBBBB")], "code", Copy));
        Assert.False(AsideAuthor.MadeHere([R(CopyName, "BBBBBBB"), L(CopyName)], "code", Copy));
        Assert.False(AsideAuthor.MadeHere([L(Original)], "code", Copy));
    }

    [Fact]
    public void Only_SyncThings_disk_events_with_a_folder_path_and_device_are_changes()
    {
        Assert.Equal(new DiskChange("code", "a/b.txt", true, "LLLLLLL"), DiskChange.From(Event("LocalChangeDetected", """{"folder":"code","path":"a/b.txt","modifiedBy":"LLLLLLL","action":"modified","type":"file"}""")));
        Assert.Equal(new DiskChange("code", "a/b.txt", false, "BBBBBBB"), DiskChange.From(Event("RemoteChangeDetected", """{"folder":"code","path":"a/b.txt","modifiedBy":"BBBBBBB"}""")));
        Assert.Null(DiskChange.From(Event("LocalIndexUpdated", """{"folder":"code","path":"a/b.txt","modifiedBy":"LLLLLLL"}""")));
        Assert.Null(DiskChange.From(Event("RemoteChangeDetected", """{"folder":"code","path":"a/b.txt","modifiedBy":""}""")));
        Assert.Null(DiskChange.From(Event("RemoteChangeDetected", """{"folder":"code","modifiedBy":"BBBBBBB"}""")));
    }

    private static DiskChange L(string path) => new("code", path, true, "LLLLLLL");

    private static DiskChange R(string path, string device) => new("code", path, false, device);

    private static SyncthingEvent Event(string type, string data) => new() { Type = type, Data = JsonDocument.Parse(data).RootElement.Clone() };
}
