using System.CommandLine;
using Thopter.Agent.Install;
using Thopter.Agent.Output;
using Thopter.Agent.Setup;
using Thopter.Shared.Contracts;
using Thopter.Shared.Devices;
using Thopter.Shared.Identity;
using Thopter.Shared.Folders;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>setup</c>: provisions SyncThing on this devbox for one laptop and its folders (idempotent). Every input is checked
/// before anything is touched, so a bad flag leaves the devbox exactly as it was.
/// </summary>
public sealed class SetupCommand : AgentCommand
{
    private readonly AgentDependencies dependencies;
    private readonly Option<string> laptop = new("--laptop-device-id") { Description = "the laptop's SyncThing device ID", Required = true };
    private readonly Option<string[]> folder = new("--folder") { Description = "a folder synced as ~/NAME, SyncThing folder ID NAME (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> ownFolder = new("--own-folder") { Description = "this devbox's own folder: ~/NAME, SyncThing folder ID NAME@DEVBOX, shared with the laptop's ~/NAME/DEVBOX only (repeatable; needs --devbox-name)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> devboxName = new("--devbox-name") { Description = "the name the laptop pairs this devbox under (for --own-folder IDs)" };
    private readonly Option<string?> instance = new("--instance-id") { Description = "this devbox instance's ID (default: from /etc/machine-id and the hostname)" };
    private readonly Option<string> listen = new("--listen") { Description = "sync listen address (default \"default\")", DefaultValueFactory = _ => "default" };
    private readonly Option<string> gui = new("--gui-address") { Description = $"REST API address, loopback only (default {AddressRules.DefaultGuiAddress})", DefaultValueFactory = _ => AddressRules.DefaultGuiAddress };
    private readonly Option<string> laptopAddress = new("--laptop-address") { Description = "where to reach the laptop (default \"dynamic\")", DefaultValueFactory = _ => "dynamic" };
    private readonly Option<bool> isolated = new("--isolated") { Description = "no global/local discovery, relays or NAT traversal (only the given addresses)" };
    private readonly Option<string> mirror = new("--mirror") { Description = "release mirror for the install", DefaultValueFactory = _ => SyncthingRelease.DefaultMirror };
    private readonly Option<FileInfo?> signingKey = new("--signing-key") { Description = "PEM public key the release must be signed with" };
    private readonly Option<bool> noAccelerator = new("--no-accelerator") { Description = "run SyncThing alone, without the accelerator's immediate scans (for comparison)" };
    private readonly Option<string> version = new("--syncthing-version") { Description = $"SyncThing release to download (`thopter sync pair` passes the laptop's; default {SyncthingRelease.DefaultVersion})", DefaultValueFactory = _ => SyncthingRelease.DefaultVersion };
    private readonly Option<string?> binary = new("--syncthing-binary") { Description = "run this SyncThing already on the devbox (absolute path, e.g. /usr/bin/syncthing) instead of downloading one" };

    public SetupCommand(AgentDependencies dependencies)
        : base("setup", "install and configure SyncThing for the laptop and keep it running (idempotent)")
    {
        this.dependencies = dependencies;
        foreach (var option in new Option[] { laptop, folder, ownFolder, devboxName, instance, listen, gui, laptopAddress, isolated, mirror, signingKey, version, binary, noAccelerator })
        {
            Options.Add(option);
        }
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var timer = new StepTimer(dependencies.Time);
        var paths = new SetupPaths(dependencies.UserHome, context.SyncthingHome);
        var request = timer.Time("validate", () => Validate(parse, paths));
        var provisioner = new Provisioner(paths, dependencies, context.Logger("setup"));
        var result = await provisioner.RunAsync(request, timer, cancellationToken).ConfigureAwait(false);
        JsonOutput.Write(context.Output, result, ContractJsonContext.Wire.SetupResult);
        return ExitCodes.Ok.Value;
    }

    private SetupRequest Validate(ParseResult parse, SetupPaths paths)
    {
        var laptopText = parse.GetValue(laptop)!;
        if (!DeviceId.TryParse(laptopText, out var laptopId, out var idProblem))
        {
            throw new AgentException(ExitCodes.InvalidDeviceId, $"--laptop-device-id: {idProblem}",
                "pass the laptop's ID as `thopter sync device-id` (or SyncThing's Actions > Show ID) prints it");
        }

        if (OwnDeviceId(paths.SyncthingHome) == laptopId)
        {
            throw new AgentException(ExitCodes.LaptopIsSelf, $"--laptop-device-id {laptopId} is this devbox's own device ID, not the laptop's",
                "pass the laptop's ID as `thopter sync device-id` prints it on the laptop (not `thopter-agent device-id` on the devbox)");
        }

        var folders = FolderSpecs.Validate(parse.GetValue(folder) ?? [], parse.GetValue(ownFolder) ?? [], parse.GetValue(devboxName));

        var listenAddress = parse.GetValue(listen)!.Trim();
        CheckAddress("--listen", AddressRules.SyncAddressProblem(listenAddress, "default"));
        var laptopAt = parse.GetValue(laptopAddress)!.Trim();
        CheckAddress("--laptop-address", AddressRules.SyncAddressProblem(laptopAt, "dynamic"));
        var guiAddress = parse.GetValue(gui)!.Trim();
        CheckAddress("--gui-address", AddressRules.GuiAddressProblem(guiAddress));

        var instanceId = parse.GetValue(instance);
        if (instanceId is not null && InstanceId.Problem(instanceId) is { } instanceProblem)
        {
            throw new AgentException(ExitCodes.Usage, $"--instance-id: {instanceProblem}", "pass the cloud instance's ID as the platform shows it");
        }

        var syncthingVersion = SyncthingRelease.NormalizeVersion(parse.GetValue(version)!);
        var syncthingBinary = parse.GetValue(binary);
        if (syncthingBinary is not null && parse.GetResult(version) is { Implicit: false })
        {
            throw new AgentException(ExitCodes.Usage, "--syncthing-binary and --syncthing-version both choose the SyncThing to run",
                "pass one of them: --syncthing-binary runs the installed one, --syncthing-version downloads that release");
        }

        var mirrorUri = SyncthingRelease.ParseMirror(parse.GetValue(mirror)!);
        var (keyPem, keySource) = InstallCommand.ReadSigningKey(parse.GetValue(signingKey));
        using (ReleaseSignature.LoadPublicKey(keyPem, keySource))
        {
        }

        return new SetupRequest(laptopId, folders, instanceId, listenAddress, guiAddress, laptopAt,
            parse.GetValue(isolated), mirrorUri, keyPem, keySource, syncthingVersion, !parse.GetValue(noAccelerator), syncthingBinary);
    }

    /// <summary>The identity already in the home, if it loads; one that does not cannot be confused with the laptop's.</summary>
    private static DeviceId? OwnDeviceId(string syncthingHome)
    {
        try
        {
            return SyncthingIdentity.Exists(syncthingHome) ? SyncthingIdentity.Load(syncthingHome).DeviceId : null;
        }
        catch (Exception error) when (error is IdentityCorruptException or IdentityMissingException)
        {
            return null;
        }
    }

    private static void CheckAddress(string option, string? problem)
    {
        if (problem is not null)
        {
            throw new AgentException(ExitCodes.InvalidAddress, $"{option}: {problem}", $"fix {option} (see thopter-agent setup --help)");
        }
    }
}
