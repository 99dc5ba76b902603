using System.Text.Json.Nodes;
using Thopter.Laptop;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// A devbox rebuilt from a snapshot (docker commit of a running, paired devbox, without prepare-snapshot) comes back
/// as a clone with the same disk but another instance: the agent gives it a new identity, and pairing it under the
/// same name replaces the stale device entry instead of adding a second one.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IdentityChangeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pairing_a_snapshot_clone_replaces_the_stale_entry_with_its_new_identity()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await world.StartDevboxAsync("box1");
        var first = await world.CliJsonAsync(box.PairArguments());
        var oldId = (string)first["deviceId"]!;

        await using var snapshot = await box.Devbox.SnapshotAsync();
        await box.Devbox.StopAsync();
        var clone = await snapshot.StartCloneAsync("box1-clone");
        world.Adopt(clone);
        var cloneTransport = $"docker exec -u dev {clone.Name}";

        // Same name, new transport; the agent arguments recorded at the first pair are reused.
        var again = await world.CliJsonAsync("sync", "pair", "box1", "--transport", cloneTransport, "--timeout", "120");
        var newId = (string)again["deviceId"]!;
        output.WriteLine($"MEASURE pair of the clone (identity regenerated): {again["timingsMs"]!.ToJsonString()}");

        Assert.NotEqual(oldId, newId);
        Assert.Equal("regenerated", (string?)again["identity"]);
        Assert.Equal(oldId, (string)again["replaced"]![0]!);
        using (var rest = world.Rest())
        {
            var devices = await rest.GetDevicesAsync();
            Assert.Equal(newId, Assert.Single(devices, d => d.Name == "box1").DeviceId);
            Assert.DoesNotContain(devices, d => d.DeviceId == oldId);
            Assert.DoesNotContain((await rest.GetFolderAsync(EndToEndWorld.Folder))!.Devices!, d => d.DeviceId == oldId);
        }

        Assert.Equal(newId, (string)(await world.CliJsonAsync("sync", "device-id", "box1", "--refresh"))["deviceId"]!);
        var cloneBox = new TestDevbox("box1", clone, world);
        await cloneBox.WriteAsync("from-clone.txt", "clone");
        await Eventually.TrueAsync("the clone's file on the laptop", () => File.Exists(Path.Combine(world.LaptopFolder, "from-clone.txt")));
        var listed = (JsonArray)(await world.CliJsonAsync("sync", "list"))["devboxes"]!;
        Assert.Equal(cloneTransport, string.Join(' ', ((JsonArray)Assert.Single(listed)!["transport"]!).Select(w => (string)w!)));
    }

    /// <summary>
    /// One device ID is one devbox: the real agent on one devbox answers with the same ID under a second name, which
    /// pair refuses (the first name's device keeps its name), `--rename-from` moves it explicitly, and doctor flags two
    /// recorded devboxes whose agents answer with one ID (what a copy that kept the original's identity looks like).
    /// </summary>
    [Fact]
    public async Task A_second_name_for_one_devbox_is_refused_rename_from_moves_it_and_doctor_flags_two_answering_as_one()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await world.StartDevboxAsync("box1");
        var id = (string)(await world.CliJsonAsync(box.PairArguments()))["deviceId"]!;
        var settings = File.ReadAllText(Path.Combine(world.Home, ".thopter.json"));

        var twice = await world.CliAsync("sync", "pair", "box1-again", "--transport", box.Transport, "--no-wait");

        Assert.True(twice.ExitCode == ExitCodes.OwnershipConflict, twice.ToString());
        Assert.Contains("already paired as \"box1\"", twice.Error, StringComparison.Ordinal);
        Assert.Equal(settings, File.ReadAllText(Path.Combine(world.Home, ".thopter.json")));
        using (var rest = world.Rest())
        {
            Assert.Equal("box1", (await rest.GetDeviceAsync(id))!.Name);
        }

        var renamed = await world.CliJsonAsync("sync", "pair", "box2", "--rename-from", "box1", "--no-wait");
        Assert.Equal(id, (string)renamed["deviceId"]!);
        Assert.Equal("box1", (string?)renamed["renamedFrom"]);
        using (var rest = world.Rest())
        {
            var devices = await rest.GetDevicesAsync();
            Assert.Equal("box2", Assert.Single(devices, d => d.DeviceId == id).Name);
            Assert.Equal(2, devices.Count);
        }

        // An older thopter's record of the same devbox under another name and ID: doctor asks both agents.
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(world.Home, ".thopter.json")))!;
        var devboxes = json["syncthing"]!["devboxes"]!.AsObject();
        devboxes["copy"] = devboxes["box2"]!.DeepClone();
        devboxes["copy"]!["deviceId"] = Thopter.Shared.Devices.DeviceId.FromBytes(new byte[32]).ToString();
        File.WriteAllText(Path.Combine(world.Home, ".thopter.json"), json.ToJsonString());

        var doctor = await world.CliAsync("sync", "doctor", "--json");

        Assert.Equal(ExitCodes.ChecksFailed, doctor.ExitCode);
        var check = ((JsonArray)JsonNode.Parse(doctor.Output)!["checks"]!).Single(c => (string)c!["name"]! == "devbox identities")!;
        Assert.Contains("\"box2\" and \"copy\" answer with one device ID", (string)check["detail"]!, StringComparison.Ordinal);
    }
}
