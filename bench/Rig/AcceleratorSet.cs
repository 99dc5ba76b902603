using Thopter.Shared.Rest;

namespace Thopter.Bench.Rig;

/// <summary>The accelerators of one measurement (one per side); disposing stops them all.</summary>
public sealed class AcceleratorSet : IAsyncDisposable
{
    private readonly List<AcceleratorRun> runs = [];

    public async Task AddAsync(string folderPath, SyncthingRestClient client) =>
        runs.Add(await AcceleratorRun.StartAsync(folderPath, DevboxNode.Folder, client));

    public async ValueTask DisposeAsync()
    {
        foreach (var run in runs)
        {
            await run.DisposeAsync();
        }
    }
}
