using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Shared.IO;

namespace Thopter.Agent.Setup;

/// <summary>
/// What belongs to an identity and must change with it, so that no two devboxes (a golden image's clones) share it:
/// config.xml's own device entry and folder memberships point at the new ID, the REST API key is new, and the GUI's HTTPS
/// key pair is removed (SyncThing makes a new one when it starts). A missing or unreadable config.xml is left to setup.
/// </summary>
public sealed class IdentityRotation(SetupPaths paths)
{
    public static readonly string[] HttpsFileNames = ["https-cert.pem", "https-key.pem"];

    public void Apply(DeviceId? previous, DeviceId current, string selfName)
    {
        foreach (var name in HttpsFileNames)
        {
            File.Delete(Path.Combine(paths.SyncthingHome, name));
        }

        SyncthingConfigDocument config;
        try
        {
            config = SyncthingConfigDocument.Load(paths.ConfigPath);
        }
        catch (Exception error) when (error is ConfigXmlException or FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }

        Repoint(config, previous, current, selfName);
        if (config.Gui is { } gui)
        {
            config.Gui = gui with { ApiKey = GuiSecrets.NewApiKey() };
        }

        AtomicFile.WriteText(paths.ConfigPath, config.ToXml(), AtomicFile.PrivateMode);
    }

    /// <summary>Replaces the old own device (entry and folder memberships) with the new one.</summary>
    private static void Repoint(SyncthingConfigDocument config, DeviceId? previous, DeviceId current, string selfName)
    {
        var self = previous is { } old ? config.Devices.FirstOrDefault(d => d.Id == old) : null;
        var folders = config.Folders;
        if (previous is { } oldId)
        {
            config.RemoveDevice(oldId);
        }

        config.UpsertDevice(new DeviceConfig(current, self?.Name ?? selfName));
        foreach (var folder in folders.Where(f => previous is { } oldId && f.Devices.Contains(oldId)))
        {
            config.UpsertFolder(folder with { Devices = folder.Devices.Select(d => d == previous ? current : d).ToList() });
        }
    }
}
