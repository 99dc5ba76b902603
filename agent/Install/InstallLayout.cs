namespace Thopter.Agent.Install;

/// <summary>
/// Where SyncThing lives, all inside the user's home so no sudo is needed:
/// <code>
/// ~/.local/lib/thopter/syncthing/
///   versions/v1.19.2/syncthing   one directory per installed version (the current one and the one before it are kept)
///   current -> versions/v1.19.2  symlink swapped atomically with rename(2)
///   .staging-*/                  a download in progress; removed when it ends, or by the next run after a crash
///   .lock                        held while installing so two runs cannot interleave
/// </code>
/// Everything else (systemd unit, supervisor) runs <see cref="CurrentBinary"/>, which never points at a half-installed file.
/// </summary>
public sealed class InstallLayout(string userHome)
{
    public string Root { get; } = Path.Combine(userHome, ".local", "lib", "thopter", "syncthing");

    public string VersionsDirectory => Path.Combine(Root, "versions");

    public string Current => Path.Combine(Root, "current");

    public string CurrentBinary => Path.Combine(Current, "syncthing");

    public string LockFile => Path.Combine(Root, ".lock");

    public const string StagingPrefix = ".staging-";

    public string VersionDirectory(string version) => Path.Combine(VersionsDirectory, version);

    public string VersionBinary(string version) => Path.Combine(VersionDirectory(version), "syncthing");

    public string NewStagingDirectory() => Path.Combine(Root, StagingPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>The version <see cref="Current"/> points at, or null when nothing is installed.</summary>
    public string? CurrentVersion()
    {
        var info = new FileInfo(Current);
        return info.LinkTarget is { } target ? Path.GetFileName(target.TrimEnd('/')) : null;
    }
}
