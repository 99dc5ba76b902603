using Thopter.Laptop;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Pairing;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;
using Xunit;

namespace Thopter.Tests.Laptop.Pairing;

public sealed class PairPlannerTests
{
    private static readonly DeviceId Laptop = Id(1);
    private static readonly DeviceId Current = Id(2);

    private static DeviceId Id(int seed) => DeviceId.FromBytes(Enumerable.Range(seed, 32).Select(i => (byte)i).ToArray());

    private const string Home = "/home/u";

    private static RestFolder Rest(string id, string path, params DeviceId[] shared) => new() { Id = id, Path = path, Devices = [.. shared.Select(d => new RestFolderDevice { DeviceId = d.ToString() })] };

    private static FolderShare[] Folder(params DeviceId[] shared) => [new(new SyncFolder { Name = "code" }, "code", $"{Home}/code", Rest("code", $"{Home}/code", shared))];

    private static FolderShare Own(string devbox, RestFolder? existing) => new(new SyncFolder { Name = "notes", Own = true }, $"notes@{devbox}", $"{Home}/notes/{devbox}", existing);

    private static Dictionary<string, DevboxEntry> Records(params (string Name, DeviceId Id)[] records) =>
        records.ToDictionary(r => r.Name, r => new DevboxEntry { DeviceId = r.Id.ToString() });

    [Fact]
    public void The_stale_entry_is_the_one_recorded_for_the_devbox_even_when_renamed_in_the_gui_and_never_another()
    {
        RestDevice[] devices =
        [
            new() { DeviceId = Laptop.ToString(), Name = "laptop" },
            new() { DeviceId = Id(4).ToString(), Name = "renamed-in-gui" },
            new() { DeviceId = Id(5).ToString(), Name = "box2" },
        ];

        var plan = PairPlanner.Plan("box1", "box1", Current, Records(("box1", Id(4)), ("box2", Id(5))), ["dynamic"], Laptop, devices, Folder(Laptop, Id(4), Id(5)));

        Assert.Equal([Id(4).ToString()], plan.RemoveDevices);
        Assert.True(plan.DeviceIsNew);
        Assert.Equal(new[] { Laptop, Id(5), Current }.Select(d => d.ToString()), Assert.Single(plan.PutFolders).Devices!.Select(d => d.DeviceId));
    }

    [Fact]
    public void A_recorded_id_that_another_devbox_also_names_is_not_stale()
    {
        var plan = PairPlanner.Plan("box1", "box1", Current, Records(("box1", Id(4)), ("old", Id(4))), ["dynamic"], Laptop, [new() { DeviceId = Id(4).ToString(), Name = "old" }], Folder(Laptop, Id(4)));

        Assert.Empty(plan.RemoveDevices);
        Assert.Contains(Id(4).ToString(), Assert.Single(plan.PutFolders).Devices!.Select(d => d.DeviceId));
    }

    [Fact]
    public void A_device_thopter_did_not_pair_under_this_name_or_id_is_refused_not_changed()
    {
        var named = Assert.Throws<ThopterException>(() => PairPlanner.Plan("phone", "phone", Current, Records(), ["dynamic"], Laptop, [new() { DeviceId = Id(9).ToString(), Name = "phone" }], Folder(Laptop)));
        var known = Assert.Throws<ThopterException>(() => PairPlanner.Plan("box1", "box1", Current, Records(), ["dynamic"], Laptop, [new() { DeviceId = Current.ToString(), Name = "my server" }], Folder(Laptop)));

        Assert.Equal(ErrorKind.OwnershipConflict, named.Kind);
        Assert.Equal(ErrorKind.OwnershipConflict, known.Kind);
        Assert.Contains("\"my server\"", known.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exact_existing_pairing_plans_nothing_and_a_changed_address_only_updates_the_device()
    {
        var device = new RestDevice { DeviceId = Current.ToString(), Name = "box1", Addresses = ["tcp://127.0.0.1:22001"], Paused = false };

        Assert.True(PairPlanner.Plan("box1", "box1", Current, Records(("box1", Current)), ["tcp://127.0.0.1:22001"], Laptop, [device], Folder(Laptop, Current)).IsEmpty);

        var moved = PairPlanner.Plan("box1", "box1", Current, Records(("box1", Current)), ["dynamic"], Laptop, [device], Folder(Laptop, Current));
        Assert.Equal(["dynamic"], moved.PutDevice!.Addresses!);
        Assert.False(moved.DeviceIsNew);
        Assert.Empty(moved.PutFolders);
        Assert.Empty(moved.RemoveDevices);
    }

    [Fact]
    public void Removal_unshares_and_deletes_only_that_device()
    {
        var plan = PairPlanner.PlanRemoval("box1", Current.ToString(), Laptop, Records(("box1", Current)), [new() { DeviceId = Current.ToString() }, new() { DeviceId = Id(5).ToString() }], Folder(Laptop, Current, Id(5)));

        Assert.Equal([Current.ToString()], plan.RemoveDevices);
        Assert.Equal(new[] { Laptop, Id(5) }.Select(d => d.ToString()), Assert.Single(plan.PutFolders).Devices!.Select(d => d.DeviceId));
    }

    [Fact]
    public void A_shared_and_an_own_folder_share_the_first_and_register_the_second_for_this_devbox_only()
    {
        FolderShare[] shares = [.. Folder(Laptop, Id(5)), Own("box1", null)];

        var plan = PairPlanner.Plan("box1", "box1", Current, Records(("box2", Id(5))), ["dynamic"], Laptop, [], shares);

        Assert.Equal(["code", "notes@box1"], plan.PutFolders.Select(f => f.Id));
        var own = plan.PutFolders[1];
        Assert.Equal(($"{Home}/notes/box1", "sendreceive"), (own.Path, own.Type));
        Assert.Equal(new[] { Laptop, Current }.Select(d => d.ToString()), own.Devices!.Select(d => d.DeviceId));
        Assert.DoesNotContain(Id(5).ToString(), own.Devices!.Select(d => d.DeviceId));
    }

    [Fact]
    public void Pairing_again_with_the_own_folder_in_place_plans_nothing()
    {
        var device = new RestDevice { DeviceId = Current.ToString(), Name = "box1", Addresses = ["dynamic"], Paused = false };
        FolderShare[] shares = [.. Folder(Laptop, Current), Own("box1", Rest("notes@box1", $"{Home}/notes/box1", Laptop, Current))];

        Assert.True(PairPlanner.Plan("box1", "box1", Current, Records(("box1", Current)), ["dynamic"], Laptop, [device], shares).IsEmpty);
    }

    [Fact]
    public void An_own_folder_id_thopter_did_not_set_up_is_refused()
    {
        var elsewhere = Own("box1", Rest("notes@box1", "/srv/other", Laptop));
        var sharedWithAnother = Own("box1", Rest("notes@box1", $"{Home}/notes/box1", Laptop, Id(5)));

        foreach (var share in new[] { elsewhere, sharedWithAnother })
        {
            var error = Assert.Throws<ThopterException>(() => PairPlanner.Plan("box1", "box1", Current, Records(("box2", Id(5))), ["dynamic"], Laptop, [], [share]));
            Assert.Equal(ErrorKind.OwnershipConflict, error.Kind);
        }
    }

    [Fact]
    public void Removal_drops_the_devboxs_own_folder_and_keeps_anothers()
    {
        FolderShare[] shares = [.. Folder(Laptop, Current, Id(5)), Own("box1", Rest("notes@box1", $"{Home}/notes/box1", Laptop, Current))];

        var plan = PairPlanner.PlanRemoval("box1", Current.ToString(), Laptop, Records(("box1", Current), ("box2", Id(5))), [], shares, removeDevice: false);

        Assert.Equal(["notes@box1"], plan.DeleteFolders);
        Assert.Equal(new[] { Laptop, Id(5) }.Select(d => d.ToString()), Assert.Single(plan.PutFolders).Devices!.Select(d => d.DeviceId));
        Assert.Empty(plan.RemoveDevices);
    }
}
