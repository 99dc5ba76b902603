using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Client;
using Thopter.Laptop.Folders;
using Thopter.Laptop.Errors;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Folders;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync init`: find the laptop's SyncThing, create ~/NAME with the default .stignore,
/// register it in SyncThing for low-latency sync, and remember device ID and folder name.
/// Idempotent: a second run with the same arguments changes nothing.
/// </summary>
public sealed class InitCommand : LaptopCommand
{
    public const string DefaultFolderName = "thopter-sync";

    private readonly Option<string?> deviceId = new("--device-id") { Description = "Expected device ID of the laptop's SyncThing (refuses to continue if it reports another)" };
    private readonly Option<string?> folder = new("--folder") { Description = $"Name of the synced folder under your home directory (default: the saved one, else {DefaultFolderName})" };
    private readonly Option<string?> home = new("--syncthing-home") { Description = "SyncThing's home directory (with config.xml) to read the REST address and API key from" };
    private readonly Option<string?> apiUrl = new("--api-url") { Description = "SyncThing's REST address (default: from config.xml, else http://127.0.0.1:8384)" };
    private readonly Option<string?> keyFile = new("--api-key-file") { Description = "A file holding only SyncThing's API key" };
    private readonly Option<bool> noService = new("--no-service") { Description = "Do not install the daemon as a user service (systemd/launchd); commands then start it when needed" };
    private readonly Option<bool> adopt = new("--adopt") { Description = "Use a SyncThing folder with this ID that thopter did not create, at its own path (otherwise init refuses to touch it)" };
    private readonly Option<bool> own = new("--own") { Description = "Make --folder a devbox's own folder: each devbox's ~/NAME syncs with ~/NAME/DEVBOX here and with nothing else" };

    public InitCommand()
        : base("init", "Set up this laptop: find SyncThing, create and register the synced folder")
    {
        Options.Add(deviceId);
        Options.Add(folder);
        Options.Add(home);
        Options.Add(apiUrl);
        Options.Add(keyFile);
        Options.Add(noService);
        Options.Add(adopt);
        Options.Add(own);
    }

    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => RunAsync(
        context,
        context.Parse.GetValue(deviceId),
        context.Parse.GetValue(folder),
        new FolderRequest(context.Parse.GetValue(adopt), context.Parse.GetValue(own)),
        new EndpointRequest(
            context.Parse.GetValue(home) is { } h ? context.ExpandHome(h) : null,
            context.Parse.GetValue(apiUrl),
            context.Parse.GetValue(keyFile) is { } k ? context.ExpandHome(k) : null),
        context.Parse.GetValue(noService),
        cancellationToken);

    private sealed record FolderRequest(bool Adopt, bool Own);

    private static async Task<int> RunAsync(CommandContext context, string? expectedDeviceId, string? folderOption, FolderRequest kind, EndpointRequest request, bool noService, CancellationToken cancellationToken)
    {
        DeviceId? expected = null;
        if (expectedDeviceId is not null)
        {
            expected = DeviceId.TryParse(expectedDeviceId, out var parsed, out var problem)
                ? parsed
                : throw new ThopterException(ErrorKind.BadInput, $"--device-id is not a SyncThing device ID: {problem}", "copy the ID from SyncThing (Actions > Show ID) or leave --device-id out");
        }

        // Read, change SyncThing and save under the lock pair and unpair hold, so a devbox paired meanwhile is never dropped.
        using var settingsLock = await context.ConfigFile.LockAsync(ThopterConfigFile.LockTimeout, cancellationToken).ConfigureAwait(false);
        var settings = context.ConfigFile.Load();
        var folderName = folderOption ?? settings.FolderName ?? DefaultFolderName;
        var recordedFolder = settings.Folder(folderName);
        if ((recordedFolder is null ? FolderName.NewFolderProblem(folderName) : FolderName.Problem(folderName)) is { } folderProblem)
        {
            throw new ThopterException(ErrorKind.BadInput, $"invalid --folder \"{folderName}\": {folderProblem}", "use one plain name such as \"code\" (letters, digits, '-', '_', '.')");
        }

        FolderKinds.Check(settings, folderName, kind.Own, kind.Adopt);

        var explicitEndpoint = request.SyncthingHome is not null || request.ApiUrl is not null || request.ApiKeyFile is not null;
        var effective = explicitEndpoint ? request : FromSaved(settings.Api);
        var endpoint = SyncthingLocator.Locate(effective, context.Environment.Home);
        context.Log.Debug("SyncThing REST at {Address} (key from {Source})", endpoint.Address, endpoint.Source);

        using var client = endpoint.CreateClient(context.Environment.SyncthingHandler);
        var status = await WithStartHint(() => client.GetSystemStatusAsync(cancellationToken), endpoint).ConfigureAwait(false);
        if (!DeviceId.TryParse(status.MyId, out var laptopId, out var idProblem))
        {
            throw new ThopterException(ErrorKind.SyncthingError, $"SyncThing at {endpoint.Address} reported a malformed device ID ({idProblem})", "check that the address is SyncThing's GUI/REST port");
        }

        if (expected is { } wanted && wanted != laptopId)
        {
            throw new ThopterException(
                ErrorKind.BadInput,
                $"SyncThing at {endpoint.Address} is device {laptopId.Short}, not the expected {wanted.Short}",
                "point thopter at the right SyncThing (--syncthing-home or --api-url), or leave --device-id out");
        }

        if (kind.Own || recordedFolder?.IsOwn == true)
        {
            return await InitOwnAsync(context, settings, laptopId, folderName, client, endpoint, explicitEndpoint ? request : null, settingsLock, noService, cancellationToken).ConfigureAwait(false);
        }

        var folderId = FolderName.FolderIdOf(folderName);
        var existing = await client.GetFolderAsync(folderId, cancellationToken).ConfigureAwait(false);
        var ours = recordedFolder is not null && settings.DeviceId == laptopId.ToString();
        var home = Path.Combine(context.Environment.Home, folderName);
        var folderPath = existing?.Path is { Length: > 0 } registered ? Path.TrimEndingDirectorySeparator(context.ExpandHome(registered)) : home;
        if (existing is not null && !ours && !kind.Adopt)
        {
            throw new ThopterException(
                ErrorKind.OwnershipConflict,
                $"SyncThing at {endpoint.Address} already has a folder \"{folderId}\" (\"{existing.Label}\" at {folderPath}) that thopter did not set up here",
                $"choose another name with --folder NAME, or pass --adopt to sync that folder at its own path ({folderPath})");
        }

        context.ConfigFile.EnsureWritable();
        var directory = SyncFolderSetup.EnsureDirectory(folderPath);
        var ignore = SyncFolderSetup.EnsureIgnoreFile(folderPath);
        var registration = await SyncFolderSetup.EnsureRegisteredAsync(client, existing, folderId, folderName, folderPath, cancellationToken).ConfigureAwait(false);
        var gui = await GuiLock.EnsureAsync(client, cancellationToken).ConfigureAwait(false);

        settings.DeviceId = laptopId.ToString();
        var saving = recordedFolder ?? new SyncFolder { Name = folderName };
        saving.Path = folderPath == home ? null : folderPath;
        if (recordedFolder is null)
        {
            settings.Folders.Add(saving);
        }

        if (explicitEndpoint)
        {
            settings.Api = ToSaved(request, settings.Api);
        }

        var saved = context.ConfigFile.Save(settings);
        context.Log.Debug("folder {Directory}, .stignore {Ignore}, SyncThing folder {Registration}, settings saved: {Saved}", directory, ignore, registration, saved);
        return await FinishAsync(
            context,
            new InitOutcome(laptopId, endpoint, gui, saved, directory),
            $"synced folder:       {context.Pretty(folderPath)} (SyncThing folder {folderId}, {Describe(registration)})",
            [("folderName", folderName), ("folderPath", folderPath), ("folderId", folderId)],
            [("stignore", ignore != SetupChange.Unchanged), ("syncthingFolder", registration != SetupChange.Unchanged)],
            settingsLock,
            noService,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An own folder: ~/NAME on the laptop is only the parent of each devbox's ~/NAME/DEVBOX, which pair registers (one
    /// SyncThing folder per devbox); nothing is registered here.
    /// </summary>
    private static async Task<int> InitOwnAsync(CommandContext context, SyncSection settings, DeviceId laptopId, string folderName, SyncthingRestClient client, SyncthingEndpoint endpoint, EndpointRequest? explicitEndpoint, IDisposable settingsLock, bool noService, CancellationToken cancellationToken)
    {
        context.ConfigFile.EnsureWritable();
        var parent = Path.Combine(context.Environment.Home, folderName);
        var directory = SyncFolderSetup.EnsureDirectory(parent);
        var gui = await GuiLock.EnsureAsync(client, cancellationToken).ConfigureAwait(false);
        settings.DeviceId = laptopId.ToString();
        if (settings.Folder(folderName) is null)
        {
            settings.Folders.Add(new SyncFolder { Name = folderName, Own = true });
        }

        if (explicitEndpoint is not null)
        {
            settings.Api = ToSaved(explicitEndpoint, settings.Api);
        }

        var saved = context.ConfigFile.Save(settings);
        return await FinishAsync(
            context,
            new InitOutcome(laptopId, endpoint, gui, saved, directory),
            $"own folder:          {context.Pretty(parent)}/DEVBOX for each devbox paired with it (SyncThing folders {folderName}{FolderName.OwnSeparator}DEVBOX); ~/{folderName} on the devbox",
            [("folderName", folderName), ("own", true), ("folderPath", parent)],
            [],
            settingsLock,
            noService,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What every init reports, whatever the kind of folder.</summary>
    private sealed record InitOutcome(DeviceId LaptopId, SyncthingEndpoint Endpoint, GuiLockState Gui, bool SettingsSaved, SetupChange Directory);

    /// <summary>
    /// The end both kinds of folder share: the report, the settings lock released before the daemon starts (pair and
    /// unpair need not wait for it: it only reads the saved settings), and the JSON result with the folder's own facts
    /// and changes.
    /// </summary>
    private static async Task<int> FinishAsync(CommandContext context, InitOutcome outcome, string folderLine, (string Key, JsonNode? Value)[] folderFacts, (string Key, JsonNode? Value)[] folderChanges, IDisposable settingsLock, bool noService, CancellationToken cancellationToken)
    {
        context.Say($"SyncThing device ID: {outcome.LaptopId}");
        context.Say(folderLine);
        context.Say($"SyncThing GUI:       {DescribeGui(outcome.Gui)}");
        if (outcome.Gui == GuiLockState.OwnIncomplete)
        {
            context.Warn($"SyncThing's GUI has a user or password you set but no complete login: {GuiLock.OpenReason}", GuiLock.OwnIncompleteFix);
        }

        context.Say($"settings:            {context.Pretty(context.ConfigFile.Path)}{(outcome.SettingsSaved ? string.Empty : " (unchanged)")}");
        settingsLock.Dispose();
        var daemon = await DaemonSetup.EnsureAsync(context, noService, cancellationToken).ConfigureAwait(false);
        var result = new JsonObject { ["deviceId"] = outcome.LaptopId.ToString() };
        foreach (var (key, value) in folderFacts)
        {
            result[key] = value;
        }

        var changed = new JsonObject { ["directory"] = outcome.Directory != SetupChange.Unchanged };
        foreach (var (key, value) in folderChanges)
        {
            changed[key] = value;
        }

        changed["guiLock"] = outcome.Gui == GuiLockState.Open;
        changed["settings"] = outcome.SettingsSaved;
        result["syncthing"] = outcome.Endpoint.Address.ToString();
        result["changed"] = changed;
        result["daemon"] = daemon;
        context.Result(result);
        return ExitCodes.Ok;
    }

    /// <summary>Not running is the common first-run problem: say exactly how to start SyncThing.</summary>
    public static async Task<T> WithStartHint<T>(Func<Task<T>> call, SyncthingEndpoint endpoint)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (SyncthingApiException error) when (error.Kind == SyncthingApiErrorKind.Unreachable)
        {
            throw new ThopterException(ErrorKind.SyncthingUnreachable, $"SyncThing is not running at {endpoint.Address} ({endpoint.Source})", SyncthingLocator.StartHint, error);
        }
    }

    internal static EndpointRequest FromSaved(ApiSettings? api) => new(api?.SyncthingHome, api?.Url, api?.KeyFile);

    private static ApiSettings ToSaved(EndpointRequest request, ApiSettings? previous) => new()
    {
        SyncthingHome = request.SyncthingHome,
        Url = request.ApiUrl,
        KeyFile = request.ApiKeyFile,
        Unknown = previous?.Unknown ?? [],
    };

    private static string DescribeGui(GuiLockState before) => before switch
    {
        GuiLockState.Open => $"locked now (GUI user \"{GuiSecrets.LockUser}\" with a password nobody holds; thopter uses the API key)",
        GuiLockState.Ours => "locked (already)",
        GuiLockState.OwnLogin => "your own GUI login, left as you set it",
        _ => "left as you set it, but not locked (see the warning)",
    };

    private static string Describe(SetupChange change) => change switch
    {
        SetupChange.Created => "registered now",
        SetupChange.Updated => "settings corrected",
        _ => "already registered",
    };
}
