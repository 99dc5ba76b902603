using Thopter.Laptop.Pairing;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Laptop.Pairing;

public sealed class PairPlannerTests
{
    private static readonly DeviceId Laptop = Id(1);
    private static readonly DeviceId Current = Id(2);

    private static DeviceId Id(int seed) => DeviceId.FromBytes(Enumerable.Range(seed, 32).Select(i => (byte)i).ToArray());

    private static RestFolder Folder(params DeviceId[] shared) => new() { Id = "code", Devices = [.. shared.Select(d => new RestFolderDevice { DeviceId = d.ToString() })] };

    [Fact]
    public void Stale_entries_are_found_by_name_and_by_recorded_id_but_never_the_laptop_or_other_devboxes()
    {
        RestDevice[] devices =
        [
            new() { DeviceId = Laptop.ToString(), Name = "box1" },
            new() { DeviceId = Id(3).ToString(), Name = "box1" },
            new() { DeviceId = Id(4).ToString(), Name = "renamed-in-gui" },
            new() { DeviceId = Id(5).ToString(), Name = "box2" },
        ];

        var plan = PairPlanner.Plan("box1", Current, Id(4).ToString(), ["dynamic"], Laptop, devices, Folder(Laptop, Id(3), Id(4), Id(5)));

        Assert.Equal(new[] { Id(3).ToString(), Id(4).ToString() }, plan.RemoveDevices);
        Assert.True(plan.DeviceIsNew);
        Assert.Equal(new[] { Laptop, Id(5), Current }.Select(d => d.ToString()), plan.PutFolder!.Devices!.Select(d => d.DeviceId));
    }

    [Fact]
    public void An_exact_existing_pairing_plans_nothing_and_a_changed_address_only_updates_the_device()
    {
        var device = new RestDevice { DeviceId = Current.ToString(), Name = "box1", Addresses = ["tcp://127.0.0.1:22001"], Paused = false };

        Assert.True(PairPlanner.Plan("box1", Current, Current.ToString(), ["tcp://127.0.0.1:22001"], Laptop, [device], Folder(Laptop, Current)).IsEmpty);

        var moved = PairPlanner.Plan("box1", Current, Current.ToString(), ["dynamic"], Laptop, [device], Folder(Laptop, Current));
        Assert.Equal(["dynamic"], moved.PutDevice!.Addresses!);
        Assert.False(moved.DeviceIsNew);
        Assert.Null(moved.PutFolder);
        Assert.Empty(moved.RemoveDevices);
    }

    [Fact]
    public void Removal_unshares_and_deletes_only_that_device()
    {
        var plan = PairPlanner.PlanRemoval(Current.ToString(), [new() { DeviceId = Current.ToString() }, new() { DeviceId = Id(5).ToString() }], Folder(Laptop, Current, Id(5)));

        Assert.Equal([Current.ToString()], plan.RemoveDevices);
        Assert.Equal(new[] { Laptop, Id(5) }.Select(d => d.ToString()), plan.PutFolder!.Devices!.Select(d => d.DeviceId));
    }
}
