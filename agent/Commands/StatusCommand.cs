using System.CommandLine;
using Thopter.Agent.Install;
using Thopter.Agent.Output;
using Thopter.Agent.Setup;
using Thopter.Agent.Supervision;
using Thopter.Shared.Acceleration.Inotify;
using Thopter.Shared.Contracts;
using Thopter.Shared.Devices;
using Thopter.Shared.Identity;
using Thopter.Shared.Rest;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>status</c>: health as JSON. Healthy = SyncThing installed, its service active and its API answering with this
/// devbox's device ID, and no other SyncThing serving the same home. Whether the laptop is connected is reported but does not make the devbox unhealthy (the laptop
/// may simply be asleep). Unhealthy exits with <c>unhealthy</c> and still prints the document.
/// </summary>
public sealed class StatusCommand(AgentDependencies dependencies) : AgentCommand("status", "report SyncThing's health on this devbox as JSON")
{
    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var paths = new SetupPaths(dependencies.UserHome, context.SyncthingHome);
        var problems = new List<string>();
        var installed = new InstallLayout(dependencies.UserHome).CurrentVersion();
        if (installed is null)
        {
            problems.Add("SyncThing is not installed (run setup)");
        }

        DeviceId? self = null;
        try
        {
            self = SyncthingIdentity.Load(paths.SyncthingHome).DeviceId;
        }
        catch (Exception error) when (error is IdentityMissingException or IdentityCorruptException)
        {
            problems.Add($"no usable SyncThing identity: {error.Message}");
        }

        ServiceStatus service;
        using (var choice = await dependencies.Services.OpenAsync(dependencies.UserHome, paths.SyncthingHome, TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            service = await ServiceStep.Guard(choice.Manager.GetStatusAsync).ConfigureAwait(false);
        }

        if (!service.Active)
        {
            problems.Add($"SyncThing's service is not running ({ServiceStep.Name(service.Supervisor)}: {service.State})");
        }
        else if (service.Supervisor == SupervisorKind.Systemd &&
                 SyncthingProcesses.Unsupervised(paths.SyncthingHome, null, Systemd.SyncthingServiceSpec.DefaultUnitName) is { Count: > 0 } strays)
        {
            // The fallback manager counts these itself; under systemd a SyncThing outside the unit may be the one answering.
            problems.Add($"SyncThing pid {string.Join(", ", strays.Select(s => s.Pid))} serves {paths.SyncthingHome} outside {Systemd.SyncthingServiceSpec.DefaultUnitName}: its answers are not the unit's (stop it, then run setup)");
        }

        var api = new ConfigProvisioner(paths, dependencies.Time).ReadApi();
        var answering = false;
        var laptopConnected = false;
        string? laptop = null;
        var folders = new List<FolderStatusReport>();
        if (api is not { } found)
        {
            problems.Add($"no usable config.xml in {paths.SyncthingHome} (run setup)");
        }
        else
        {
            laptop = found.Config.Devices.Select(d => d.Id).Where(id => id != self).Select(id => (DeviceId?)id).FirstOrDefault()?.ToString();
            using var client = new SyncthingRestClient(AddressRules.GuiBaseUri(found.Address), new SyncthingApiKey(found.ApiKey), requestTimeout: TimeSpan.FromSeconds(5));
            try
            {
                var reported = DeviceId.Parse((await client.GetSystemStatusAsync(cancellationToken).ConfigureAwait(false)).MyId);
                answering = reported == self;
                if (!answering)
                {
                    problems.Add($"the API on {found.Address} reports device {reported}, not this devbox's identity");
                }

                if (laptop is not null)
                {
                    var connections = await client.GetConnectionsAsync(cancellationToken).ConfigureAwait(false);
                    laptopConnected = connections.TryGetValue(laptop, out var connection) && connection.Connected;
                }

                foreach (var folder in found.Config.Folders)
                {
                    var status = await client.GetFolderStatusAsync(folder.Id, cancellationToken).ConfigureAwait(false);
                    if (status.State == "error")
                    {
                        var reason = string.IsNullOrEmpty(status.Error) ? "no reason given" : status.Error;
                        var fix = FolderErrorAdvice.Fix(reason, folder.Path);
                        problems.Add($"folder {folder.Id} is stopped by SyncThing: {reason} (fix: {fix})");
                        folders.Add(new FolderStatusReport(folder.Id, folder.Path, status.State, reason, fix));
                    }
                    else
                    {
                        folders.Add(new FolderStatusReport(folder.Id, folder.Path, status.State));
                    }
                }
            }
            catch (SyncthingApiException error)
            {
                problems.Add($"the API on {found.Address} does not answer: {error.Message}");
            }
        }

        var budget = InotifyBudget.ReadForCurrentUser();
        if (budget is { IsShort: true })
        {
            problems.Add($"inotify budget nearly spent: {budget.WatchesUsed} of {budget.WatchLimit} watches, {budget.InstancesUsed} of {budget.InstanceLimit} instances (fix: {budget.Fix})");
        }

        var result = new StatusResult(
            problems.Count == 0,
            self?.ToString(),
            installed,
            new ServiceStatusReport(ServiceStep.Name(service.Supervisor), service.Installed, service.Active, service.State, service.MainPid),
            answering,
            api?.Address,
            laptop,
            laptopConnected,
            folders,
            budget is null ? null : new InotifyReport(budget.WatchesUsed, budget.WatchLimit, budget.InstancesUsed, budget.InstanceLimit, budget.IsShort ? budget.Fix : null),
            problems);
        JsonOutput.Write(context.Output, result, ContractJsonContext.Wire.StatusResult);
        return result.Healthy ? ExitCodes.Ok.Value : ExitCodes.Unhealthy.Value;
    }
}
