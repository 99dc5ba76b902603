using System.Diagnostics;
using Thopter.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// The product across SyncThing releases: `init` on a laptop running one release, then a fresh devbox whose agent
/// installs another from the mirror, paired, files both ways, and pairing again changes nothing. 1.19.2 on both sides
/// is what every other EndToEnd test runs; this covers 1.29.5 on both and each mix.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SyncthingVersionPairingTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Pairings => new()
    {
        { SyncthingBinary.V1_29, SyncthingBinary.V1_29 },
        { SyncthingBinary.V1_19, SyncthingBinary.V1_29 },
        { SyncthingBinary.V1_29, SyncthingBinary.V1_19 },
    };

    [Theory]
    [MemberData(nameof(Pairings))]
    public async Task Pairs_and_syncs_both_ways(string laptop, string devbox)
    {
        await using var world = await EndToEndWorld.StartAsync(laptop);
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await world.StartDevboxAsync("box1", devbox);
        var clock = Stopwatch.StartNew();
        await world.CliJsonAsync(box.PairArguments());
        output.WriteLine($"MEASURE pair (laptop {laptop}, devbox {devbox}, fresh install): {clock.ElapsedMilliseconds} ms");

        using (var rest = world.Rest())
        {
            Assert.StartsWith(laptop, (await rest.GetVersionAsync()).Version, StringComparison.Ordinal);
        }

        var installed = await box.Devbox.ExecAsync("dev", "/home/dev/.local/lib/thopter/syncthing/current/syncthing", "--version");
        Assert.StartsWith($"syncthing {devbox}", installed.EnsureSuccess().StandardOutput, StringComparison.Ordinal);

        Task<string> Logs() => Task.FromResult(world.Laptop.Describe("laptop"));
        await box.WriteAsync("from-devbox.txt", "devbox");
        await Eventually.TrueAsync("the devbox's file on the laptop", () => Task.FromResult(File.Exists(Path.Combine(world.LaptopFolder, "from-devbox.txt"))), describe: Logs);
        Assert.Equal("devbox", File.ReadAllText(Path.Combine(world.LaptopFolder, "from-devbox.txt")));
        File.WriteAllText(Path.Combine(world.LaptopFolder, "from-laptop.txt"), "laptop");
        await Eventually.TrueAsync("the laptop's file on the devbox", async () => await box.ReadAsync("from-laptop.txt") == "laptop", describe: Logs);

        var again = await world.CliJsonAsync(box.PairArguments());
        Assert.False((bool)again["changed"]!, again.ToJsonString());
    }
}
