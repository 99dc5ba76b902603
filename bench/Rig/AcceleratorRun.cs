using Microsoft.Extensions.Logging.Abstractions;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Rest;

namespace Thopter.Bench.Rig;

/// <summary>
/// shared/Acceleration's Accelerator running in the bench process for one side's folder. Neither the agent nor the
/// laptop CLI runs it yet, so the bench hosts it: for a devbox it watches the container's folder through
/// /proc/PID/root (the same overlay mount the container writes to) and scans through the devbox's REST API.
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
