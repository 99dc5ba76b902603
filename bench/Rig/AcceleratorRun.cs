using Microsoft.Extensions.Logging.Abstractions;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Rest;

namespace Thopter.Bench.Rig;

/// <summary>
/// shared/Acceleration's Accelerator running in the bench process for the laptop's folder: the same code and scanner
/// `thopter sync watch` runs, hosted here because the bench wires its laptop SyncThing itself. (On devboxes the
/// agent's own thopter-accelerator.service runs it.)
/// </summary>
public sealed class AcceleratorRun : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task running;

    private AcceleratorRun(Accelerator accelerator, Task running, CancellationTokenSource stop)
    {
        Accelerator = accelerator;
        this.running = running;
        this.stop = stop;
    }

    public Accelerator Accelerator { get; }

    public static async Task<AcceleratorRun> StartAsync(string folderPath, string folderId, SyncthingRestClient client)
    {
        var accelerator = new Accelerator();
        var options = new AcceleratorOptions { FolderPath = folderPath, FolderId = folderId };
        var stop = new CancellationTokenSource();
        var running = Task.Run(() => accelerator.RunAsync(options, new RestFolderScanner(client), NullLogger.Instance, stop.Token));
        await Task.WhenAny(accelerator.Watching, running);
        await accelerator.Watching;
        return new AcceleratorRun(accelerator, running, stop);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
    }
}
