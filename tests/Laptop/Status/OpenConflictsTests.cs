using Thopter.Laptop.Conflicts.Store;
using Thopter.Laptop.Status;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Status;

/// <summary>`status` counts open conflicts per devbox concerned, from the real store's records.</summary>
public sealed class OpenConflictsTests : IDisposable
{
    private readonly TempDirectory home = new();
    private readonly ConflictStore store;

    public OpenConflictsTests() => store = new ConflictStore(home.Combine("store"), new FileLinks());

    public void Dispose() => home.Dispose();

    [Fact]
    public void A_conflict_two_devboxes_had_at_the_hub_counts_for_both_and_once_in_the_total()
    {
        Add("code", "a.txt", aside: "laptop", current: "box1");
        Add("code", "b.txt", aside: "box2", current: "box1");
        Add("notes", "c.txt", aside: null, current: "laptop");
        Add("code", "settled.txt", aside: "box2", current: "laptop", resolved: true);

        var open = OpenConflicts.Read(store, ["code", "notes", "code"]);

        Assert.Equal(3, open.Total);
        Assert.Equal(new Dictionary<string, int> { ["box1"] = 2, ["box2"] = 1, [""] = 1 }, open.ByDevbox);
        Assert.Equal("box1 2, box2 1, other devices 1", open.Describe());
    }

    private void Add(string folder, string original, string? aside, string? current, bool resolved = false) =>
        store.Add(new ConflictRecord
        {
            Folder = folder,
            Original = original,
            Copy = original + ".sync-conflict",
            Stored = original,
            Aside = new VersionFacts { Devbox = aside },
            Current = new VersionFacts { Devbox = current },
            Resolved = resolved ? new ConflictResolution { Keep = "current" } : null,
        });
}
