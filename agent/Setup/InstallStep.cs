using Microsoft.Extensions.Logging;
using Thopter.Agent.Install;
using Thopter.Shared.Processes;

namespace Thopter.Agent.Setup;

/// <summary>What setup knows about the SyncThing it runs. <paramref name="Changed"/>: <c>current</c> now points at another binary, so a running SyncThing must be restarted.</summary>
public sealed record InstalledSyncthing(string Version, string Binary, string Outcome, bool Changed);

/// <summary>
/// Makes sure the requested SyncThing is the current one. When <c>current</c> already points at that version's binary
/// nothing runs at all (the cheap re-run path); otherwise the verified installer does the work.
/// </summary>
public sealed class InstallStep(InstallLayout layout, HttpMessageHandler http, IProcessRunner processes, DownloadOptions download, TimeProvider time, ILogger logger)
{
    /// <param name="externalBinary">A SyncThing already on the devbox to run instead (setup --syncthing-binary), or null.</param>
    public async Task<InstalledSyncthing> EnsureAsync(InstallRequest request, string? externalBinary, CancellationToken cancellationToken)
    {
        if (externalBinary is not null)
        {
            var (release, moved) = await new ExternalSyncthing(layout, processes).AdoptAsync(externalBinary, cancellationToken).ConfigureAwait(false);
            return new InstalledSyncthing(release, layout.CurrentBinary, ExternalSyncthing.Outcome, moved);
        }

        var version = request.Release.Version;
        if (layout.CurrentVersion() == version && File.Exists(layout.VersionBinary(version)))
        {
            return new InstalledSyncthing(version, layout.CurrentBinary, InstallOutcome.AlreadyPresent, Changed: false);
        }

        var before = layout.CurrentVersion();
        using var client = new HttpClient(http, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var downloader = new ReleaseDownloader(client, download, time, logger, progress: null);
        var installer = new SyncthingInstaller(layout, downloader, processes, download, time, logger);
        var result = await installer.InstallAsync(request, cancellationToken).ConfigureAwait(false);
        return new InstalledSyncthing(result.Version, result.Path, result.Outcome, Changed: before != result.Version || result.Downloaded);
    }
}
