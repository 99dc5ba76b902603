using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Folders;

namespace Thopter.Laptop.Commands;

/// <summary>`thopter sync show`: the saved sync settings (device ID, folder, devboxes, SyncThing address).</summary>
public sealed class ShowCommand() : LaptopCommand("show", "Show this laptop's sync settings")
{
    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => Task.FromResult(Run(context));

    private static int Run(CommandContext context)
    {
        var settings = context.ConfigFile.Load();
        var folderPath = settings.FolderName is null ? null : settings.LaptopFolderPath(context.Environment.Home);
        context.Result(new JsonObject
        {
            ["configured"] = settings.DeviceId is not null && settings.FolderName is not null,
            ["settingsFile"] = context.ConfigFile.Path,
            ["deviceId"] = settings.DeviceId,
            ["folderName"] = settings.FolderName,
            ["folderPath"] = folderPath,
            ["folderId"] = settings.FolderName is null ? null : FolderName.FolderIdOf(settings.FolderName),
            ["devboxes"] = settings.Devboxes.Count,
            ["api"] = settings.Api is null ? null : new JsonObject
            {
                ["url"] = settings.Api.Url,
                ["keyFile"] = settings.Api.KeyFile,
                ["syncthingHome"] = settings.Api.SyncthingHome,
            },
        });

        if (settings.DeviceId is null || settings.FolderName is null)
        {
            context.Say($"not set up yet ({context.Pretty(context.ConfigFile.Path)} has no sync settings); run `thopter sync init`");
            return ExitCodes.Ok;
        }

        context.Say($"device ID:     {settings.DeviceId}");
        context.Say($"folder:        {context.Pretty(folderPath!)} (SyncThing folder {FolderName.FolderIdOf(settings.FolderName)})");
        context.Say($"devboxes:      {settings.Devboxes.Count}");
        if (settings.Api is { } api)
        {
            context.Say($"SyncThing:     {api.Url ?? "(address from config.xml)"}{(api.SyncthingHome is null ? string.Empty : $", home {api.SyncthingHome}")}{(api.KeyFile is null ? string.Empty : $", key file {api.KeyFile}")}");
        }

        context.Say($"settings file: {context.Pretty(context.ConfigFile.Path)}");
        return ExitCodes.Ok;
    }
}
