using System.Diagnostics;
using Thopter.Laptop;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.EndToEnd;

/// <summary>
/// A pair whose other side dies while it waits ends within seconds with the reason, instead of waiting out its
/// --timeout: the real laptop SyncThing stopped, or the real devbox container killed, as soon as the laptop's SyncThing
/// has the devbox (pair is then in its wait for the connection and the initial sync, which lasts at least a second).
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeadPeerTests(ITestOutputHelper output)
{
    private const int Timeout = 100;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(Timeout / 2);

    private static async Task<(Laptop.CliResult Result, TimeSpan Took)> PairAndKillAsync(EndToEndWorld world, TestDevbox box, Func<Task> kill)
    {
        var arguments = box.PairArguments().Select(a => a == "120" ? Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture) : a).ToArray();
        var pair = world.CliAsync(arguments);
        using (var rest = world.Rest())
        {
            await Eventually.TrueAsync("the laptop's SyncThing to have the devbox", async () =>
                pair.IsCompleted || (await rest.GetDevicesAsync()).Any(d => d.Name == box.Name), seconds: 120);
        }

        Assert.False(pair.IsCompleted, "pair finished before the kill: " + (pair.IsCompleted ? (await pair).ToString() : string.Empty));
        var clock = Stopwatch.StartNew();
        await kill();
        var result = await pair;
        return (result, clock.Elapsed);
    }

    [Fact]
    public async Task A_stopped_laptop_syncthing_ends_the_pair_within_seconds()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await world.StartDevboxAsync("box1");

        var (result, took) = await PairAndKillAsync(world, box, world.StopLaptopAsync);
        output.WriteLine($"MEASURE pair ended {took.TotalSeconds:0.0} s after the laptop SyncThing was stopped: {result}");

        Assert.True(result.ExitCode == ExitCodes.SyncthingUnreachable, result.ToString());
        Assert.Contains("stopped answering during step", result.Error, StringComparison.Ordinal);
        Assert.True(took < Bound, $"took {took}");
    }

    [Fact]
    public async Task A_killed_devbox_ends_the_pair_within_seconds()
    {
        await using var world = await EndToEndWorld.StartAsync();
        await world.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        var box = await world.StartDevboxAsync("box1");

        var (result, took) = await PairAndKillAsync(world, box, async () =>
            Assert.Equal(0, (await new Thopter.Shared.Processes.ProcessRunner().RunAsync(new("docker", ["kill", box.Devbox.Name]))).ExitCode));
        output.WriteLine($"MEASURE pair ended {took.TotalSeconds:0.0} s after the devbox was killed: {result}");

        Assert.True(result.ExitCode == ExitCodes.DevboxUnreachable, result.ToString());
        Assert.Contains("went away during step", result.Error, StringComparison.Ordinal);
        Assert.True(took < Bound, $"took {took}");
    }
}
