using Microsoft.Extensions.Logging;
using Thopter.Agent.Commands;
using Thopter.Agent.Install;
using Thopter.Shared.Contracts;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Shared.Folders;
using Thopter.Shared.Timing;

namespace Thopter.Agent.Setup;

/// <summary>
/// setup's steps in order: install, identity (clone-aware), config.xml, folder + .stignore, service, API readiness and
/// the sync listener's health.
/// Each step is idempotent and changes only what differs, so the re-run path touches no file and restarts nothing.
/// </summary>
/// <remarks>
/// Whatever a step changed that SyncThing reads at start (its binary, identity or config.xml) makes the service step
/// restart SyncThing: the promise README makes. Everything it needs from the machine comes through
/// <see cref="AgentDependencies"/>, so tests run it with their own service manager.
/// </remarks>
public sealed class Provisioner(SetupPaths paths, AgentDependencies dependencies, ILogger logger)
{
    public TimeSpan ApiTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public async Task<SetupResult> RunAsync(SetupRequest request, StepTimer timer, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var installRequest = new InstallRequest(
            new SyncthingRelease(request.SyncthingVersion, SyncthingRelease.ArchFor(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture)),
            request.Mirror, request.SigningKeyPem, request.SigningKeySource);
        var installed = await timer.TimeAsync("install", () =>
            new InstallStep(new InstallLayout(paths.UserHome), dependencies.Http, dependencies.Processes, dependencies.Download, dependencies.Time, logger).EnsureAsync(installRequest, request.SyncthingBinary, cancellationToken)).ConfigureAwait(false);

        Directory.CreateDirectory(paths.SyncthingHome);
        var platform = dependencies.Platform.InstanceId;
        var identity = timer.Time("identity", () => new IdentityProvisioner(paths, dependencies.Time, platform).Ensure(request.InstanceId ?? platform));
        if (identity.Changed)
        {
            logger.LogInformation("identity {Action}: {Reason}", identity.Action, identity.Reason);
        }

        var folders = request.Folders.Select(f => new DesiredFolder(f.Id, f.Name, paths.FolderPath(f.Name))).ToList();
        var desired = new DesiredConfig(
            identity.DeviceId,
            dependencies.Platform.Hostname,
            request.LaptopId,
            request.LaptopAddress,
            folders,
            request.ListenAddress,
            request.GuiAddress,
            request.Isolated,
            Thopter.Shared.Config.ConfigVersion.For(installed.Version));
        var config = timer.Time("config", () => new ConfigProvisioner(paths, dependencies.Time).Ensure(desired));
        if (config.CorruptBackup is not null)
        {
            warnings.Add($"config.xml was not readable; it was backed up to {config.CorruptBackup} and written anew");
        }

        timer.Time("folder", () => folders.Aggregate(false, (changed, folder) => FolderProvisioner.Ensure(folder.Path) | changed));

        var spec = ServiceStep.Spec(installed.Binary, installed.Version, paths.SyncthingHome, request.Accelerate);
        var service = await timer.TimeAsync("service", () =>
            ServiceStep.EnsureAsync(dependencies.Services, dependencies.Platform, paths.UserHome, spec, config.Changed || identity.Changed || installed.Changed, warnings, cancellationToken)).ConfigureAwait(false);
        var listenerFailure = await timer.TimeAsync("api", () => ReadyAsync(request, identity.DeviceId, config.ApiKey, cancellationToken)).ConfigureAwait(false);

        // A SyncThing that was already running when its port was taken retries its listener only at its own slow pace:
        // once the port is free, a restart listens at once. One restart; a port still taken is the user's to free.
        if (listenerFailure is not null && service.Action == "already-running")
        {
            logger.LogInformation("SyncThing is not listening on {Address} ({Error}): restarting it", listenerFailure.Address, listenerFailure.Error);
            (service, listenerFailure) = await timer.TimeAsync("listenerRestart", async () =>
            {
                var restarted = await ServiceStep.EnsureAsync(dependencies.Services, dependencies.Platform, paths.UserHome, spec, true, warnings, cancellationToken).ConfigureAwait(false);
                return (restarted, await ReadyAsync(request, identity.DeviceId, config.ApiKey, cancellationToken).ConfigureAwait(false));
            }).ConfigureAwait(false);
        }

        if (listenerFailure is not null)
        {
            throw SyncListenerCheck.Failed(listenerFailure);
        }

        return new SetupResult(
            identity.DeviceId.ToString(),
            new FolderReport(folders[0].Id, folders[0].Path),
            new SyncthingReport(installed.Version, installed.Binary, paths.SyncthingHome, paths.ConfigPath, installed.Outcome),
            new IdentityReport(identity.Action, identity.Reason, identity.InstanceId, identity.Backups),
            service,
            new ApiReport(request.GuiAddress),
            request.ListenAddress,
            new LaptopReport(request.LaptopId.ToString(), request.LaptopAddress),
            config.Changed,
            warnings,
            timer.Finish(),
            [.. folders.Select(f => new FolderReport(f.Id, f.Path))]);
    }

    /// <summary>Waits for the API to answer with this device's ID, then returns the sync listener that failed, if any.</summary>
    private async Task<ListenerFailure?> ReadyAsync(SetupRequest request, DeviceId deviceId, string apiKey, CancellationToken cancellationToken)
    {
        // The client gets its own handler (no proxy): it disposes it, and the shared one belongs to the command.
        using var api = new SyncthingRestClient(AddressRules.GuiBaseUri(request.GuiAddress), new SyncthingApiKey(apiKey), requestTimeout: TimeSpan.FromSeconds(5));
        await new ApiReadiness(dependencies.Time, logger) { Timeout = ApiTimeout }.WaitAsync(api, request.GuiAddress, deviceId, cancellationToken).ConfigureAwait(false);
        return await new SyncListenerCheck(dependencies.Time).FindFailureAsync(api, cancellationToken).ConfigureAwait(false);
    }
}
