using Thopter.Shared.Config;
using Thopter.Shared.Identity;

namespace Thopter.Agent.Acceleration;

/// <summary>
/// Reads <see cref="AcceleratorTargets"/> from a SyncThing home (config.xml, and cert.pem to tell our own device from the
/// peers). <see cref="Read"/> never throws for a missing or broken file: the service waits for setup to fix it.
/// </summary>
public sealed class AcceleratorConfigSource(string syncthingHome, string userHome)
{
    public string ConfigPath { get; } = Path.Combine(syncthingHome, "config.xml");

    /// <summary>Changes whenever config.xml is replaced or rewritten (SyncThing and setup both rename a new file in place).</summary>
    public (DateTime, long) Stamp()
    {
        var file = new FileInfo(ConfigPath);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1);
    }

    public (AcceleratorTargets? Targets, string? Problem) Read()
    {
        SyncthingConfigDocument config;
        try
        {
            config = SyncthingConfigDocument.Load(ConfigPath);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"{ConfigPath} does not exist");
        }
        catch (Exception error) when (error is ConfigXmlException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{ConfigPath} is not readable: {error.Message}");
        }

        Shared.Devices.DeviceId? self = null;
        try
        {
            if (SyncthingIdentity.Exists(syncthingHome))
            {
                self = SyncthingIdentity.Load(syncthingHome).DeviceId;
            }
        }
        catch (Exception error) when (error is IdentityCorruptException or IdentityMissingException or IOException or UnauthorizedAccessException)
        {
            // Without our own ID every folder with any device counts; SyncThing itself will not start with a broken identity.
        }

        try
        {
            return AcceleratorTargets.From(config, self, userHome);
        }
        catch (ConfigXmlException error)
        {
            // Values are parsed as they are read: a bad one must leave the service waiting, not crash it (and SyncThing with it).
            return (null, $"{ConfigPath} is not usable: {error.Message}");
        }
    }
}
