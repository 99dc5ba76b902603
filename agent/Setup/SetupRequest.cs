using Thopter.Shared.Devices;

namespace Thopter.Agent.Setup;

/// <summary>A validated setup request: everything in it has been checked before anything on disk is touched.</summary>
/// <param name="ListenAddress">SyncThing's sync listen address ("default" or a URL such as tcp://127.0.0.1:22000).</param>
/// <param name="GuiAddress">host:port of the GUI/REST API; always a loopback IP.</param>
/// <param name="LaptopAddress">Where to reach the laptop ("dynamic" or a URL).</param>
/// <param name="Accelerate">Run the accelerator beside SyncThing (off with --no-accelerator).</param>
/// <param name="InstanceId">The instance this devbox is (null: derive from the platform).</param>
/// <param name="SyncthingBinary">A SyncThing already on the devbox to run instead of downloading <paramref name="SyncthingVersion"/>.</param>
/// <param name="Folders">Every folder to sync, in the order given (at least one).</param>
public sealed record SetupRequest(
    DeviceId LaptopId,
    IReadOnlyList<FolderSpec> Folders,
    string? InstanceId,
    string ListenAddress,
    string GuiAddress,
    string LaptopAddress,
    bool Isolated,
    Uri Mirror,
    string SigningKeyPem,
    string SigningKeySource,
    string SyncthingVersion,
    bool Accelerate = true,
    string? SyncthingBinary = null);

/// <summary>One folder setup syncs: ~/<paramref name="Name"/> as SyncThing folder <paramref name="Id"/> (NAME, or NAME@DEVBOX for a devbox's own folder).</summary>
public sealed record FolderSpec(string Id, string Name);
