using System.Text.Json.Nodes;
using Thopter.Laptop.Conflicts.Store;
using Thopter.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// Issue 17's seed, for real: a devbox (container, real AOT agent, SyncThing from the mirror) whose folder already holds a
/// small workspace is paired with `thopter sync pair` into an empty laptop folder, on each SyncThing release. The files
/// arrive through `thopter-agent pack` with content, mode and mtime; SyncThing then finds both copies equal: no conflict
/// copy on either side, both report in sync, and the file content did not travel over SyncThing's connection again.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SeedPairingTests(ITestOutputHelper output)
{
    private const int Blobs = 5;
    private const int BlobBytes = 300_000;
    private const string RunScript = "#!/bin/sh\necho hi\n";
    private static readonly DateTime Stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567);

    private static readonly string Workspace = $$"""
        set -e
        cd {{TestDevbox.FolderPath}}
        mkdir -p src/a node_modules/pkg
        for i in $(seq {{Blobs}}); do head -c {{BlobBytes}} /dev/urandom > src/a/blob$i.bin; done
        printf '#!/bin/sh\necho hi\n' > src/run.sh
        chmod 750 src/run.sh
        echo dep > node_modules/pkg/index.js
        ln -s a/blob1.bin src/link
        touch -d '2020-01-02 03:04:05.123456789Z' src/a/*.bin src/run.sh
        """;

    public static TheoryData<string> Versions => [SyncthingBinary.V1_19, SyncthingBinary.V1_29];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_devbox_workspace_seeds_an_empty_laptop_folder_without_conflicts_or_a_second_transfer(string version)
    {
        await using var world = await EndToEndWorld.StartAsync(version);
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await world.StartDevboxAsync("box1", version);
        (await box.Devbox.ExecAsync("dev", "mkdir", "-p", TestDevbox.FolderPath)).EnsureSuccess();
        (await box.Devbox.ExecAsync("dev", "bash", "-c", Workspace)).EnsureSuccess();

        var pair = await world.CliJsonAsync(box.PairArguments());
        output.WriteLine($"pair on {version}: seed {pair["seed"]?.ToJsonString()}, timings {pair["timingsMs"]?.ToJsonString()}");

        Assert.True(pair["seed"]?[EndToEndWorld.Folder]?["written"] is not null, $"pair took no seed: {pair.ToJsonString()}");
        var seed = pair["seed"]![EndToEndWorld.Folder]!;
        Assert.Equal(Blobs + 2, (int)seed["written"]!);
        Assert.Equal((long)Blobs * BlobBytes + RunScript.Length, (long)seed["bytes"]!);
        var laptop = world.LaptopFolder;
        var devboxHashes = (await box.Devbox.ExecAsync("dev", "bash", "-c", $"cd {TestDevbox.FolderPath} && sha256sum src/a/*.bin src/run.sh")).EnsureSuccess().StandardOutput;
        foreach (var line in devboxHashes.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (hash, relative) = (line[..64], line[66..]);
            Assert.Equal(hash, EndToEndWorld.Sha256(Path.Combine(laptop, relative)));
            Assert.Equal(Stamp, File.GetLastWriteTimeUtc(Path.Combine(laptop, relative)));
        }

        Assert.Equal((UnixFileMode)0x1E8, File.GetUnixFileMode(Path.Combine(laptop, "src", "run.sh")));
        Assert.Equal("a/blob1.bin", new FileInfo(Path.Combine(laptop, "src", "link")).LinkTarget);
        Assert.False(Path.Exists(Path.Combine(laptop, "node_modules")));

        // In sync both ways (pair waited for it; asked again here), with nothing needed and no conflict copy anywhere.
        using var rest = world.Rest();
        var deviceId = (string)pair["deviceId"]!;
        Assert.Equal(100.0, (await rest.GetCompletionAsync(EndToEndWorld.Folder, deviceId)).Completion);
        Assert.Equal(0L, (await rest.GetFolderStatusAsync(EndToEndWorld.Folder)).NeedTotalItems);
        Assert.Empty(Directory.EnumerateFiles(laptop, "*sync-conflict*", SearchOption.AllDirectories));
        Assert.Empty(ConflictStore.ForHome(world.Home).List());
        var devboxConflicts = (await box.Devbox.ExecAsync("dev", "find", TestDevbox.FolderPath, "-name", "*sync-conflict*")).EnsureSuccess().StandardOutput;
        Assert.Equal(string.Empty, devboxConflicts.Trim());

        // The content crossed once, in the seed: SyncThing's connection carried indexes, not the 1.5 MB again.
        var received = await InBytesFromAsync(world, deviceId);
        output.WriteLine($"laptop SyncThing received {received} bytes from the devbox");
        Assert.True(received < Blobs * BlobBytes / 2, $"SyncThing received {received} bytes from the devbox: the files were sent again");
    }

    private static async Task<long> InBytesFromAsync(EndToEndWorld world, string deviceId)
    {
        using var http = new HttpClient { BaseAddress = world.LaptopHome.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", world.LaptopHome.ApiKey);
        var connections = JsonNode.Parse(await http.GetStringAsync("rest/system/connections"))!;
        return (long)connections["connections"]![deviceId]!["inBytesTotal"]!;
    }
}
