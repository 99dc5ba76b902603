using Microsoft.Extensions.Logging;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;

namespace Thopter.Agent.Setup;

/// <summary>setup's last step: SyncThing's REST API answers as this device.</summary>
public sealed class ApiReadiness(TimeProvider time, ILogger logger)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long SyncThing 2.x's one-time database migration may hold the API (a large 1.x index takes many minutes).</summary>
    public TimeSpan MigrationTimeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>How often to look while it migrates.</summary>
    public TimeSpan MigrationInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Ready means the API answers with our device ID: an old SyncThing still holding the port does not count. While
    /// SyncThing 2.x migrates its database the wait says so once and runs on for <see cref="MigrationTimeout"/>.
    /// </summary>
    public async Task WaitAsync(SyncthingRestClient api, string guiAddress, DeviceId expected, CancellationToken cancellationToken)
    {
        DeviceId? seen = null;
        var migrating = false;
        var what = $"SyncThing's REST API on {guiAddress} to report device {expected.Short}";
        async Task<bool> Ready(CancellationToken ct)
        {
            try
            {
                seen = DeviceId.Parse((await api.GetSystemStatusAsync(ct).ConfigureAwait(false)).MyId);
                return seen == expected;
            }
            catch (SyncthingApiException error) when (error.Kind == SyncthingApiErrorKind.Migrating)
            {
                if (!migrating)
                {
                    logger.LogWarning("{Reason}; waiting up to {Minutes:0} min", error.Message, MigrationTimeout.TotalMinutes);
                    migrating = true;
                }

                throw;
            }
        }

        Task<string> Describe() => Task.FromResult(seen is { } other ? $"the API reports device {other}" : string.Empty);
        try
        {
            try
            {
                await Wait.UntilAsync(what, Ready, TimeSpan.FromMilliseconds(100), Timeout, Describe, time, cancellationToken).ConfigureAwait(false);
            }
            catch (WaitTimeoutException) when (migrating)
            {
                await Wait.UntilAsync(what, Ready, MigrationInterval, MigrationTimeout, Describe, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WaitTimeoutException error)
        {
            throw new AgentException(ExitCodes.ApiNotReady, error.Message,
                migrating
                    ? "SyncThing is still migrating its database: let the service run, then run setup again"
                    : $"check that nothing else listens on {guiAddress} (or pass --gui-address) and see the service's log",
                error);
        }

        if (migrating)
        {
            logger.LogInformation("SyncThing finished migrating its database");
        }
    }
}
