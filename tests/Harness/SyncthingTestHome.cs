using System.Security.Cryptography;
using Thopter.Shared.Config;
using Thopter.Shared.Devices;
using Thopter.Shared.Identity;

namespace Thopter.Tests.Harness;

/// <summary>
/// A SyncThing home directory for a test instance, written by our own code: a fresh identity and a
/// config.xml that listens (GUI and sync) on free 127.0.0.1 ports only, with discovery, relays,
/// NAT/STUN, usage and crash reporting and upgrades off. Add devices/folders through
/// <see cref="EditConfig"/> before starting it with <see cref="SyncthingProcess.StartAsync"/>.
/// </summary>
public sealed record SyncthingTestHome(string HomeDir, string Name, DeviceId DeviceId, int GuiPort, int ListenPort, string ApiKey)
{
    public string ConfigPath => Path.Combine(HomeDir, "config.xml");

    public string GuiAddress => $"127.0.0.1:{GuiPort}";

    public string ListenAddress => $"tcp://127.0.0.1:{ListenPort}";

    public Uri BaseAddress => new($"http://{GuiAddress}/");

    /// <summary>This instance as a remote device entry for another instance's config.</summary>
    public DeviceConfig AsPeer() => new(DeviceId, Name) { Addresses = [ListenAddress] };

    public static SyncthingTestHome Create(string homeDir, string name, string syncthingVersion = SyncthingBinary.V1_19)
    {
        Directory.CreateDirectory(homeDir);
        var identity = SyncthingIdentity.Generate(homeDir);
        var home = new SyncthingTestHome(homeDir, name, identity.DeviceId, FreePort.Next(), FreePort.Next(), NewApiKey());
        var config = SyncthingConfigDocument.CreateNew(ConfigVersion.For(syncthingVersion));
        config.UpsertDevice(new DeviceConfig(home.DeviceId, name) { Addresses = ["dynamic"] });
        config.Gui = new GuiConfig(home.GuiAddress, home.ApiKey);
        config.Options = OptionsConfig.LoopbackOnly(home.ListenPort);
        config.Save(home.ConfigPath);
        return home;
    }

    public void EditConfig(Action<SyncthingConfigDocument> edit)
    {
        var config = SyncthingConfigDocument.Load(ConfigPath);
        edit(config);
        config.Save(ConfigPath);
    }

    // No secret printing: records print every property, the key included, so hide it.
    public override string ToString() => $"{Name} {DeviceId.Short} gui {GuiAddress} sync {ListenAddress} in {HomeDir}";

    private static string NewApiKey() =>
        RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32);
}
