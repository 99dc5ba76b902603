using System.Globalization;
using Thopter.Shared.Config;
using Thopter.Shared.IO;

namespace Thopter.Agent.Setup;

/// <summary>What the config step did. The API key is held for the readiness check only and is never serialized.</summary>
public sealed record ConfigOutcome(bool Changed, string ApiKey, string? CorruptBackup)
{
    public override string ToString() => $"changed={Changed} corruptBackup={CorruptBackup}";
}

/// <summary>
/// Reads config.xml, applies <see cref="DesiredConfig"/> and writes it back (atomically, 0600) only when that changes
/// what it says. The comparison is on our normalized form, so a file SyncThing itself re-saved with different
/// whitespace is not rewritten and SyncThing is not restarted for nothing. A corrupt file is backed up first.
/// </summary>
public sealed class ConfigProvisioner(SetupPaths paths, TimeProvider time)
{
    public ConfigOutcome Ensure(DesiredConfig desired)
    {
        var path = paths.ConfigPath;
        string? corruptBackup = null;
        SyncthingConfigDocument config;
        string? before = null;
        if (File.Exists(path))
        {
            try
            {
                config = SyncthingConfigDocument.Load(path);
                before = config.ToXml();
            }
            catch (ConfigXmlException)
            {
                corruptBackup = $"{path}.corrupt-{time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
                AtomicFile.CopyWithMode(path, corruptBackup, AtomicFile.PrivateMode);
                config = SyncthingConfigDocument.CreateNew(desired.ConfigVersion);
            }
        }
        else
        {
            config = SyncthingConfigDocument.CreateNew(desired.ConfigVersion);
        }

        var apiKey = desired.ApplyTo(config);
        var after = config.ToXml();
        var changed = before != after;
        if (changed)
        {
            AtomicFile.WriteText(path, after, AtomicFile.PrivateMode);
        }
        else if (File.GetUnixFileMode(path) != AtomicFile.PrivateMode)
        {
            File.SetUnixFileMode(path, AtomicFile.PrivateMode);
        }

        return new ConfigOutcome(changed, apiKey, corruptBackup);
    }

    /// <summary>The GUI address and API key setup wrote, for status and reset-identity; null when there is no usable config.</summary>
    public (string Address, string ApiKey, SyncthingConfigDocument Config)? ReadApi()
    {
        try
        {
            var config = SyncthingConfigDocument.Load(paths.ConfigPath);
            return config.Gui is { } gui && gui.Address.Length > 0 && gui.ApiKey.Length > 0 ? (gui.Address, gui.ApiKey, config) : null;
        }
        catch (Exception error) when (error is ConfigXmlException or FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
