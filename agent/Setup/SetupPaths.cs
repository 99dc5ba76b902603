using Thopter.Shared.Folders;

namespace Thopter.Agent.Setup;

/// <summary>Where setup keeps things: SyncThing's home (identity, config.xml, instance record) and the synced folder under the user's home.</summary>
public sealed record SetupPaths(string UserHome, string SyncthingHome)
{
    public const string InstanceRecordName = "thopter-instance";

    public string ConfigPath => Path.Combine(SyncthingHome, "config.xml");

    /// <summary>The instance the identity beside it was made for; a different instance means this disk is a clone.</summary>
    public string InstanceRecord => Path.Combine(SyncthingHome, InstanceRecordName);

    public string FolderPath(string folder) => Path.Combine(UserHome, FolderName.Validate(folder));
}
