using Thopter.Laptop;
using Thopter.Laptop.Cli;
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

    private static RestFolder Folder(params DeviceId[] shared) => new() { Id = "code", Devices = [.. shared.Select(d => new RestFolderDevice { DeviceId = d.ToString() })] };

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
        Assert.Equal(new[] { Laptop, Id(5), Current }.Select(d => d.ToString()), plan.PutFolder!.Devices!.Select(d => d.DeviceId));
    }

    [Fact]
    public void A_recorded_id_that_another_devbox_also_names_is_not_stale()
    {
        var plan = PairPlanner.Plan("box1", "box1", Current, Records(("box1", Id(4)), ("old", Id(4))), ["dynamic"], Laptop, [new() { DeviceId = Id(4).ToString(), Name = "old" }], Folder(Laptop, Id(4)));

        Assert.Empty(plan.RemoveDevices);
        Assert.Contains(Id(4).ToString(), plan.PutFolder!.Devices!.Select(d => d.DeviceId));
    }

    [Fact]
    public void A_device_thopter_did_not_pair_under_this_name_or_id_is_refused_not_changed()
    {
        var named = Assert.Throws<CliFailure>(() => PairPlanner.Plan("phone", "phone", Current, Records(), ["dynamic"], Laptop, [new() { DeviceId = Id(9).ToString(), Name = "phone" }], Folder(Laptop)));
        var known = Assert.Throws<CliFailure>(() => PairPlanner.Plan("box1", "box1", Current, Records(), ["dynamic"], Laptop, [new() { DeviceId = Current.ToString(), Name = "my server" }], Folder(Laptop)));

        Assert.Equal(ExitCodes.OwnershipConflict, named.ExitCode);
        Assert.Equal(ExitCodes.OwnershipConflict, known.ExitCode);
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
        Assert.Null(moved.PutFolder);
        Assert.Empty(moved.RemoveDevices);
    }

    [Fact]
    public void Removal_unshares_and_deletes_only_that_device()
    {
        var plan = PairPlanner.PlanRemoval("box1", Current.ToString(), Laptop, Records(("box1", Current)), [new() { DeviceId = Current.ToString() }, new() { DeviceId = Id(5).ToString() }], Folder(Laptop, Current, Id(5)));

        Assert.Equal([Current.ToString()], plan.RemoveDevices);
        Assert.Equal(new[] { Laptop, Id(5) }.Select(d => d.ToString()), plan.PutFolder!.Devices!.Select(d => d.DeviceId));
    }
}
