using System.Diagnostics;
using Xunit;

namespace Thopter.Tests.EndToEnd;

/// <summary>`init` once, the named devboxes started together and paired one after another (the pair wall times are kept for the report).</summary>
public abstract class PairedDevboxesFixture(params string[] names) : IAsyncLifetime
{
    private EndToEndWorld? world;

    public EndToEndWorld World => world ?? throw new InvalidOperationException("not started");

    public IReadOnlyList<TestDevbox> Boxes { get; private set; } = [];

    public List<string> Timings { get; } = [];

    public async Task InitializeAsync()
    {
        world = await EndToEndWorld.StartAsync();
        await World.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        Boxes = await Task.WhenAll(names.Select(name => World.StartDevboxAsync(name)));
        foreach (var box in Boxes)
        {
            var clock = Stopwatch.StartNew();
            var result = await World.CliAsync(box.PairArguments());
            Assert.True(result.ExitCode == 0, $"pair {box.Name}: {result}");
            Timings.Add($"pair {box.Name} (fresh devbox, installs SyncThing from the mirror): {clock.ElapsedMilliseconds} ms");
        }
    }

    public async Task DisposeAsync()
    {
        if (world is not null)
        {
            await world.DisposeAsync();
        }
    }
}

/// <summary>box1, box2 and box3.</summary>
public sealed class ThreeDevboxesFixture() : PairedDevboxesFixture("box1", "box2", "box3");

/// <summary>Devboxes A and B, as issue 16 names them.</summary>
public sealed class TwoDevboxesFixture() : PairedDevboxesFixture("box-a", "box-b");
