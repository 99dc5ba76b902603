using System.Diagnostics;
using Xunit;

namespace Thopter.Tests.EndToEnd;

/// <summary>`init` once, three devboxes started together and paired one after another (the pair wall times are kept for the report).</summary>
public sealed class ThreeDevboxesFixture : IAsyncLifetime
{
    private EndToEndWorld? world;

    public EndToEndWorld World => world ?? throw new InvalidOperationException("not started");

    public IReadOnlyList<TestDevbox> Boxes { get; private set; } = [];

    public List<string> Timings { get; } = [];

    public async Task InitializeAsync()
    {
        world = await EndToEndWorld.StartAsync();
        await World.CliJsonAsync("sync", "init", "--folder", EndToEndWorld.Folder);
        Boxes = await Task.WhenAll(new[] { "box1", "box2", "box3" }.Select(name => World.StartDevboxAsync(name)));
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
