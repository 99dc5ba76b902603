using Microsoft.Extensions.Logging;
using Thopter.Laptop.Daemon.State;
using Thopter.Shared.Acceleration;
using Thopter.Shared.Rest;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// The scan accelerator on one of the laptop's SyncThing folders for as long as a configuration lasts. The accelerator retries
/// failed scans itself (SyncThing restarting); a folder that cannot be watched is tried again after a pause.
/// </summary>
public sealed class FolderAcceleration(LaptopState state, ILoggerFactory logs, TimeProvider time, TimeSpan retryDelay)
{
    private readonly ILogger log = logs.CreateLogger("accelerator");

    public async Task RunAsync(SyncthingRestClient client, string folderId, string folderPath, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var accelerator = new Accelerator(time, ChangeSources.ForThisPlatform);
            state.Accelerating(folderId, accelerator);
            state.SyncthingBack += accelerator.RetryNow;
            try
            {
                await accelerator.RunAsync(new AcceleratorOptions { FolderId = folderId, FolderPath = folderPath }, new RestFolderScanner(client), log, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                log.LogWarning("cannot watch {FolderPath}: {Error}", folderPath, error.Message);
                state.Error(null, $"cannot watch {folderPath}: {error.Message}");
            }
            finally
            {
                state.SyncthingBack -= accelerator.RetryNow;
            }

            try
            {
                await Task.Delay(retryDelay * 5, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        state.Accelerating(folderId, null);
    }
}
