using System.Text;
using Thopter.Shared.Devices;

namespace Thopter.Shared.Config;

/// <summary>A remote (or the local) device. Defaults are SyncThing's own for a new device.</summary>
public sealed record DeviceConfig(DeviceId Id, string Name)
{
    public IReadOnlyList<string> Addresses { get; init; } = ["dynamic"];

    public string Compression { get; init; } = "metadata";

    public bool Introducer { get; init; }

    public bool Paused { get; init; }

    public bool AutoAcceptFolders { get; init; }

    public bool Equals(DeviceConfig? other) =>
        other is not null && Id == other.Id && Name == other.Name && Addresses.SequenceEqual(other.Addresses) &&
        Compression == other.Compression && Introducer == other.Introducer && Paused == other.Paused &&
        AutoAcceptFolders == other.AutoAcceptFolders;

    public override int GetHashCode() => HashCode.Combine(Id, Name, Compression);
}

/// <summary>A shared folder. Defaults are SyncThing's own for a new folder.</summary>
public sealed record FolderConfig(string Id, string Path)
{
    public string Label { get; init; } = string.Empty;

    /// <summary>sendreceive, sendonly, receiveonly or receiveencrypted.</summary>
    public string Type { get; init; } = "sendreceive";

    public bool FsWatcherEnabled { get; init; } = true;

    /// <summary>Seconds; fractional since SyncThing 1.29 (its minimum is 0.01), whole before.</summary>
    public double FsWatcherDelayS { get; init; } = 10;

    public int RescanIntervalS { get; init; } = 3600;

    public int MaxConflicts { get; init; } = 10;

    public bool IgnorePerms { get; init; }

    public bool Paused { get; init; }

    /// <summary>
    /// SyncThing 2.x's wait before pulling an announced change (its default is 1 s; 0 pulls at once). Null: leave the
    /// element as it is (1.x has no such setting).
    /// </summary>
    public double? PullerDelayS { get; init; }

    /// <summary>Devices the folder is shared with (SyncThing lists the local device too).</summary>
    public IReadOnlyList<DeviceId> Devices { get; init; } = [];

    public bool Equals(FolderConfig? other) =>
        other is not null && Id == other.Id && Path == other.Path && Label == other.Label && Type == other.Type &&
        FsWatcherEnabled == other.FsWatcherEnabled && FsWatcherDelayS == other.FsWatcherDelayS &&
        RescanIntervalS == other.RescanIntervalS && MaxConflicts == other.MaxConflicts &&
        IgnorePerms == other.IgnorePerms && Paused == other.Paused && PullerDelayS == other.PullerDelayS &&
        Devices.SequenceEqual(other.Devices);

    public override int GetHashCode() => HashCode.Combine(Id, Path, Type);
}

/// <summary>The GUI/REST listener. <see cref="ApiKey"/> and <see cref="Password"/> are secrets: never part of <see cref="ToString"/>.</summary>
public sealed record GuiConfig(string Address, string ApiKey)
{
    public bool Enabled { get; init; } = true;

    public bool Tls { get; init; }

    /// <summary>The GUI login's user; empty when there is none (writing an empty one leaves the element as it is).</summary>
    public string User { get; init; } = string.Empty;

    /// <summary>The GUI login's bcrypt hash; empty when there is none (writing an empty one leaves the element as it is).</summary>
    public string Password { get; init; } = string.Empty;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Address = {Address}, ApiKey = <redacted>, Enabled = {Enabled}, Tls = {Tls}, User = {User}, Password = <redacted>");
        return true;
    }
}

/// <summary>
/// The options we set. Property defaults are SyncThing's defaults (what it assumes when an element
/// is absent); <see cref="LoopbackOnly"/> gives the private, telemetry-free settings.
/// </summary>
public sealed record OptionsConfig
{
    public IReadOnlyList<string> ListenAddresses { get; init; } = ["default"];

    public bool GlobalAnnounceEnabled { get; init; } = true;

    public bool LocalAnnounceEnabled { get; init; } = true;

    public bool RelaysEnabled { get; init; } = true;

    /// <summary>UPnP/NAT-PMP port mapping; false also stops STUN.</summary>
    public bool NatEnabled { get; init; } = true;

    /// <summary>Usage reporting consent: -1 = declined for good, 0 = not yet asked, N = accepted version N.</summary>
    public int UrAccepted { get; init; }

    public bool CrashReportingEnabled { get; init; } = true;

    /// <summary>0 turns automatic upgrades off.</summary>
    public int AutoUpgradeIntervalH { get; init; } = 12;

    public bool StartBrowser { get; init; } = true;

    public bool AnnounceLanAddresses { get; init; } = true;

    /// <summary>
    /// Sync listens on 127.0.0.1:<paramref name="listenPort"/> (TCP only); discovery, relays,
    /// NAT/STUN, usage and crash reporting, upgrades and the browser are all off.
    /// </summary>
    public static OptionsConfig LoopbackOnly(int listenPort) => new()
    {
        ListenAddresses = [$"tcp://127.0.0.1:{listenPort}"],
        GlobalAnnounceEnabled = false,
        LocalAnnounceEnabled = false,
        RelaysEnabled = false,
        NatEnabled = false,
        UrAccepted = -1,
        CrashReportingEnabled = false,
        AutoUpgradeIntervalH = 0,
        StartBrowser = false,
        AnnounceLanAddresses = false,
    };

    public bool Equals(OptionsConfig? other) =>
        other is not null && ListenAddresses.SequenceEqual(other.ListenAddresses) &&
        GlobalAnnounceEnabled == other.GlobalAnnounceEnabled && LocalAnnounceEnabled == other.LocalAnnounceEnabled &&
        RelaysEnabled == other.RelaysEnabled && NatEnabled == other.NatEnabled && UrAccepted == other.UrAccepted &&
        CrashReportingEnabled == other.CrashReportingEnabled && AutoUpgradeIntervalH == other.AutoUpgradeIntervalH &&
        StartBrowser == other.StartBrowser && AnnounceLanAddresses == other.AnnounceLanAddresses;

    public override int GetHashCode() => HashCode.Combine(GlobalAnnounceEnabled, RelaysEnabled, UrAccepted);
}
