using Thopter.Shared.Processes;
using Thopter.Shared.Releases;

namespace Thopter.Agent.Install;

/// <summary>
/// setup --syncthing-binary: runs a SyncThing already on the devbox (Debian's /usr/bin/syncthing) instead of downloading one.
/// It is linked into <see cref="InstallLayout"/> as versions/external-vX.Y.Z/syncthing, so <c>current</c> stays the one path
/// the service, status and reset-identity run, and the next pinned install simply points <c>current</c> elsewhere again.
/// </summary>
public sealed class ExternalSyncthing(InstallLayout layout, IProcessRunner processes)
{
    public const string Outcome = "external";

    private const string DirectoryPrefix = "external-";
    private static readonly TimeSpan VersionCheckTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Checks the binary answers like SyncThing and makes it current; returns its release tag and whether current moved.</summary>
    public async Task<(string Version, bool Changed)> AdoptAsync(string binary, CancellationToken cancellationToken)
    {
        if (!Path.IsPathRooted(binary) || !File.Exists(binary))
        {
            throw new AgentException(ExitCodes.Usage, $"--syncthing-binary {binary} is not an existing file given by absolute path",
                "pass the absolute path of an installed SyncThing (e.g. /usr/bin/syncthing), or leave --syncthing-binary out to download one");
        }

        var version = await ReleaseOfAsync(binary, cancellationToken).ConfigureAwait(false);
        var name = DirectoryPrefix + version;
        var directory = layout.VersionDirectory(name);
        var link = layout.VersionBinary(name);
        Directory.CreateDirectory(directory);
        if (new FileInfo(link).LinkTarget != binary)
        {
            AtomicRename.SwapSymlink(link, binary);
        }

        var changed = layout.CurrentVersion() != name;
        if (changed)
        {
            AtomicRename.SwapSymlink(layout.Current, Path.Combine("versions", name));
        }

        return (version, changed);
    }

    private async Task<string> ReleaseOfAsync(string binary, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await processes.RunAsync(new ProcessSpec(binary, ["--version"]) { Timeout = VersionCheckTimeout }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or TimeoutException or IOException)
        {
            throw Broken(binary, error.Message);
        }

        var line = result.StandardOutput.Split('\n')[0].Trim();
        return result.Succeeded && line.StartsWith("syncthing ", StringComparison.Ordinal) && ReleaseTag.FromReported(line) is { } tag
            ? tag
            : throw Broken(binary, $"exit {result.ExitCode}: {line}");
    }

    private static AgentException Broken(string binary, string detail) => new(
        ExitCodes.BinaryBroken,
        $"--syncthing-binary {binary} does not answer --version like SyncThing ({detail})",
        "pass the path of a working SyncThing 1.19 or later, or leave --syncthing-binary out to download one");
}
