using Thopter.Shared.Config;
using Thopter.Shared.Devices;

namespace Thopter.Agent.Setup;

/// <summary>
/// What setup wants config.xml to say, applied to a document as a pure edit: the laptop is the only peer, the folder is
/// shared with it and watched with the shortest delay, the API sits on loopback with a key that survives re-runs and is
/// closed to everyone else by a GUI login nobody holds (<see cref="GuiSecrets"/>), and telemetry is off. Everything else in the document (the user's own settings) is left as it was.
/// </summary>
public sealed record DesiredConfig(
    DeviceId Self,
    string SelfName,
    DeviceId Laptop,
    string LaptopAddress,
    IReadOnlyList<DesiredFolder> Folders,
    string ListenAddress,
    string GuiAddress,
    bool Isolated,
    int ConfigVersion)
{
    public const string LaptopName = "laptop";

    /// <summary>
    /// SyncThing before 1.29 takes whole seconds and 1 is its lowest (0 means its default of 10). A shorter delay the user
    /// set (fractional, 1.29 and later) is kept.
    /// </summary>
    public const int WatcherDelaySeconds = 1;

    /// <summary>The watcher carries changes; the full rescan is only a safety net for events it missed.</summary>
    public const int RescanIntervalSeconds = 3600;

    /// <summary>SyncThing 2.x waits pullerDelayS (default 1 s) before pulling a change the laptop announced; we want it at once.</summary>
    public const double PullerDelaySeconds = 0;

    /// <summary>Edits <paramref name="config"/> in place; returns the API key it now holds (kept from before when usable).</summary>
    public string ApplyTo(SyncthingConfigDocument config)
    {
        // A newer SyncThing wrote this file: a lower number would make it migrate again (or lose what only it knows).
        config.Version = Math.Max(config.Version, ConfigVersion);
        foreach (var stranger in config.Devices.Where(d => d.Id != Self && d.Id != Laptop).ToList())
        {
            config.RemoveDevice(stranger.Id);
        }

        config.UpsertDevice(new DeviceConfig(Self, SelfName) { Addresses = ["dynamic"] });
        config.UpsertDevice(new DeviceConfig(Laptop, LaptopName) { Addresses = [LaptopAddress] });
        foreach (var folder in Folders)
        {
            var watcherDelay = config.Folders.FirstOrDefault(f => f.Id == folder.Id) is { FsWatcherDelayS: > 0 and < WatcherDelaySeconds } faster
                ? faster.FsWatcherDelayS
                : WatcherDelaySeconds;
            config.UpsertFolder(new FolderConfig(folder.Id, folder.Path)
            {
                Label = folder.Label,
                FsWatcherEnabled = true,
                FsWatcherDelayS = watcherDelay,
                RescanIntervalS = RescanIntervalSeconds,
                PullerDelayS = config.Version >= Thopter.Shared.Config.ConfigVersion.FirstV2 ? PullerDelaySeconds : null,
                Devices = [Self, Laptop],
            });
        }

        var gui = config.Gui;
        var apiKey = gui?.ApiKey is { } existing && GuiSecrets.IsUsableApiKey(existing) ? existing : GuiSecrets.NewApiKey();
        var (user, password) = gui is not null && GuiSecrets.IsLocked(gui) ? (gui.User, gui.Password) : (GuiSecrets.LockUser, GuiSecrets.NewLockHash());
        config.Gui = new GuiConfig(GuiAddress, apiKey) { User = user, Password = password };
        config.Options = new OptionsConfig
        {
            ListenAddresses = [ListenAddress],
            GlobalAnnounceEnabled = !Isolated,
            LocalAnnounceEnabled = !Isolated,
            RelaysEnabled = !Isolated,
            NatEnabled = !Isolated,
            AnnounceLanAddresses = !Isolated,
            UrAccepted = -1,
            CrashReportingEnabled = false,
            AutoUpgradeIntervalH = 0,
            StartBrowser = false,
        };
        return apiKey;
    }
}

/// <summary>One folder in config.xml: its SyncThing ID, label and path on this devbox.</summary>
public sealed record DesiredFolder(string Id, string Label, string Path);
