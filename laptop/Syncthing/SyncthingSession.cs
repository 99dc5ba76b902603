using Thopter.Laptop.Cli;
using Thopter.Laptop.Commands;
using Thopter.Laptop.Errors;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Folders;

namespace Thopter.Laptop.Syncthing;

/// <summary>
/// What every command after `init` starts from: the saved settings (init must have run), the laptop's SyncThing
/// found the way init found it, answering, and still holding the synced folder.
/// </summary>
public sealed class SyncthingSession : IDisposable
{
    private SyncthingSession(SyncSection settings, SyncthingEndpoint endpoint, SyncthingRestClient client, DeviceId laptop, string folderName, string folderPath)
    {
        Settings = settings;
        Endpoint = endpoint;
        Client = client;
        Laptop = laptop;
        FolderName = folderName;
        FolderPath = folderPath;
    }

    public SyncSection Settings { get; }

    public SyncthingEndpoint Endpoint { get; }

    public SyncthingRestClient Client { get; }

    public DeviceId Laptop { get; }

    public string FolderName { get; }

    public string FolderId => Shared.Folders.FolderName.FolderIdOf(FolderName);

    public string FolderPath { get; }

    /// <summary>The saved settings, or a not-initialized failure.</summary>
    public static SyncSection LoadInitialized(CommandContext context)
    {
        var settings = context.ConfigFile.Load();
        if (settings.DeviceId is not null && settings.FolderName is null && settings.Folders.Count > 0)
        {
            // Only own folders (written by hand: init refuses an own folder first): every command starts from the default folder.
            throw new ThopterException(
                ErrorKind.NotInitialized,
                $"{context.Pretty(context.ConfigFile.Path)} lists only own folders ({string.Join(", ", settings.Folders.Select(f => f.Name))}): thopter needs one shared folder, the default one that status, pair and the daemon start from",
                "add one with `thopter sync init --folder NAME` (e.g. `thopter sync init --folder code`); the own folders stay as they are");
        }

        if (settings.DeviceId is null || settings.FolderName is null)
        {
            throw new ThopterException(ErrorKind.NotInitialized, $"this laptop is not set up for sync yet ({context.Pretty(context.ConfigFile.Path)} has no sync settings)", "run `thopter sync init` first");
        }

        return settings;
    }

    public static SyncthingEndpoint Locate(CommandContext context, SyncSection settings) =>
        SyncthingLocator.Locate(new EndpointRequest(settings.Api?.SyncthingHome, settings.Api?.Url, settings.Api?.KeyFile), context.Environment.Home);

    public static async Task<SyncthingSession> OpenAsync(CommandContext context, CancellationToken cancellationToken, SyncSection? settings = null)
    {
        settings ??= LoadInitialized(context);
        var endpoint = Locate(context, settings);
        var client = endpoint.CreateClient(context.Environment.SyncthingHandler);
        try
        {
            var status = await InitCommand.WithStartHint(() => client.GetSystemStatusAsync(cancellationToken), endpoint).ConfigureAwait(false);
            if (!DeviceId.TryParse(status.MyId, out var laptop, out var problem))
            {
                throw new ThopterException(ErrorKind.SyncthingError, $"SyncThing at {endpoint.Address} reported a malformed device ID ({problem})", "check that the address is SyncThing's GUI/REST port");
            }

            if (settings.DeviceId != laptop.ToString())
            {
                throw new ThopterException(
                    ErrorKind.SyncthingError,
                    $"SyncThing at {endpoint.Address} is device {laptop.Short}, but this laptop was set up with {settings.DeviceId}",
                    "run `thopter sync init` again to adopt the running SyncThing (devboxes then need `thopter sync pair` again)");
            }

            var folderName = settings.FolderName!;
            var folder = await client.GetFolderAsync(Shared.Folders.FolderName.FolderIdOf(folderName), cancellationToken).ConfigureAwait(false)
                ?? throw new ThopterException(ErrorKind.NotInitialized, $"SyncThing at {endpoint.Address} has no folder \"{folderName}\"", "run `thopter sync init` again to register it");
            var path = folder.Path ?? settings.LaptopFolderPath(context.Environment.Home);
            return new SyncthingSession(settings, endpoint, client, laptop, folderName, Path.TrimEndingDirectorySeparator(path));
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Dispose() => Client.Dispose();
}
