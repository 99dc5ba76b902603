using System.CommandLine;
using System.Text.Json.Nodes;
using Serilog.Extensions.Logging;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Acceleration;
using Thopter.Shared.ThopterConfig;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync watch`: runs the accelerator on the laptop's synced folder (~/NAME, SyncThing folder NAME) until Ctrl-C,
/// so a change here is scanned and sent within milliseconds instead of after SyncThing's watcher delay.
/// `--install-service` / `--uninstall-service` manage a systemd user unit that runs it instead.
/// </summary>
public static class WatchCommand
{
    public static Command Create(GlobalOptions options, CliEnvironment environment)
    {
        var install = new Option<bool>("--install-service") { Description = "install and start a systemd user service that runs `thopter sync watch` (Linux)" };
        var uninstall = new Option<bool>("--uninstall-service") { Description = "stop and remove that service" };
        var command = new Command("watch", "Scan changes in the synced folder at once (runs until Ctrl-C)") { install, uninstall };
        command.Validators.Add(result =>
        {
            if (result.GetValue(install) && result.GetValue(uninstall))
            {
                result.AddError("--install-service and --uninstall-service exclude each other");
            }
        });
        CommandRunner.SetAction(command, options, environment, (context, ct) =>
            context.Parse.GetValue(install) ? InstallAsync(context, ct)
            : context.Parse.GetValue(uninstall) ? UninstallAsync(context, ct)
            : RunAsync(context, ct));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var settings = context.ConfigFile.Load();
        if (settings.FolderName is not { } folderName)
        {
            throw new CliFailure(ExitCodes.NotInitialized, $"{context.Pretty(context.ConfigFile.Path)} names no synced folder", "run `thopter sync init` first");
        }

        var folderPath = settings.LaptopFolderPath(context.Environment.Home);
        if (!Directory.Exists(folderPath))
        {
            throw new CliFailure(ExitCodes.NotFound, $"the synced folder {folderPath} does not exist", "run `thopter sync init` again to create it");
        }

        var endpoint = SyncthingLocator.Locate(InitCommand.FromSaved(settings.Api), context.Environment.Home);
        using var client = endpoint.CreateClient(context.Environment.SyncthingHandler);
        await InitCommand.WithStartHint(async () =>
        {
            await client.PingAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, endpoint).ConfigureAwait(false);

        var folderId = FolderName.FolderIdOf(folderName);
        var accelerator = new Accelerator(context.Environment.Time, static () => new FileSystemChangeSource());
        using var logs = new SerilogLoggerFactory(context.Log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = accelerator.RunAsync(
            new AcceleratorOptions { FolderId = folderId, FolderPath = folderPath },
            new RestFolderScanner(client),
            logs.CreateLogger("watch"),
            stop.Token);
        await Task.WhenAny(accelerator.Watching, run).ConfigureAwait(false);
        if (run.IsFaulted)
        {
            await run.ConfigureAwait(false);
        }

        context.Say($"watching {context.Pretty(folderPath)}: changes are scanned by SyncThing ({endpoint.Address}) at once; Ctrl-C to stop");
        await run.ConfigureAwait(false);

        var counters = accelerator.Counters;
        context.Say($"stopped: {counters.ScansSucceeded} scans ({counters.PathsScanned} paths), {counters.Failures} failed requests");
        context.Result(new JsonObject
        {
            ["folderId"] = folderId,
            ["folderPath"] = folderPath,
            ["syncthing"] = endpoint.Address.ToString(),
            ["scans"] = counters.ScansSucceeded,
            ["pathsScanned"] = counters.PathsScanned,
            ["failures"] = counters.Failures,
            ["lastError"] = counters.LastError,
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> InstallAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.ConfigFile.Load().FolderName is null)
        {
            throw new CliFailure(ExitCodes.NotInitialized, $"{context.Pretty(context.ConfigFile.Path)} names no synced folder", "run `thopter sync init` first");
        }

        var service = new WatchService(context.Environment.Home, context.Environment.Processes);
        var changed = await service.InstallAsync(context.Environment.SelfCommand, cancellationToken).ConfigureAwait(false);
        context.Say($"installed and started {WatchService.UnitName} ({context.Pretty(service.UnitPath)}{(changed ? string.Empty : ", unchanged")})");
        context.Result(new JsonObject { ["unit"] = WatchService.UnitName, ["path"] = service.UnitPath, ["changed"] = changed, ["active"] = true });
        return ExitCodes.Ok;
    }

    private static async Task<int> UninstallAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var service = new WatchService(context.Environment.Home, context.Environment.Processes);
        var removed = await service.UninstallAsync(cancellationToken).ConfigureAwait(false);
        context.Say(removed ? $"stopped and removed {WatchService.UnitName}" : $"{WatchService.UnitName} was not installed");
        context.Result(new JsonObject { ["unit"] = WatchService.UnitName, ["removed"] = removed });
        return ExitCodes.Ok;
    }
}
