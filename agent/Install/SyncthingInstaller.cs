using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Thopter.Shared.Processes;
using Thopter.Shared.Timing;

namespace Thopter.Agent.Install;

/// <summary>
/// Installs a SyncThing release into <see cref="InstallLayout"/>: download into a private staging directory, verify the
/// archive's SHA-256 and the release signature, unpack, move the version directory into place, check the new binary answers
/// <c>--version</c>, and only then swap <c>current</c>. Any failure before the swap leaves the previous install exactly as it
/// was, and the staging directory (every partial file) is deleted on the way out.
/// </summary>
public sealed class SyncthingInstaller(
    InstallLayout layout,
    ReleaseDownloader downloader,
    IProcessRunner processes,
    DownloadOptions options,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan VersionCheckTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);
    private const int DiskFullErrno = 28;

    public async Task<InstallResult> InstallAsync(InstallRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var release = request.Release;
        using var signingKey = ReleaseSignature.LoadPublicKey(request.SigningKeyPem, request.SigningKeySource);
        Directory.CreateDirectory(layout.VersionsDirectory);
        using var installLock = await AcquireLockAsync(cancellationToken).ConfigureAwait(false);
        RemoveAbandonedStaging();

        var previous = layout.CurrentVersion();
        var present = await ReportedVersionAsync(layout.VersionBinary(release.Version), release.Version, cancellationToken).ConfigureAwait(false);
        if (present is not null)
        {
            logger.LogInformation("SyncThing {Version} is already installed", release.Version);
            if (previous != release.Version)
            {
                AtomicRename.SwapSymlink(layout.Current, RelativeVersionTarget(release.Version));
            }

            return Result(request, InstallOutcome.AlreadyPresent, previous, present, new InstallTimings(0, 0, 0, Ms(started)));
        }

        var staging = layout.NewStagingDirectory();
        Directory.CreateDirectory(staging);
        try
        {
            var downloadStarted = time.GetTimestamp();
            var archivePath = Path.Combine(staging, release.ArchiveName);
            var checksums = await downloader.DownloadBytesAsync(
                release.ChecksumListUri(request.Mirror), options.MaxChecksumListBytes, cancellationToken).ConfigureAwait(false);
            var archiveSha = await downloader.DownloadFileAsync(
                release.ArchiveUri(request.Mirror), archivePath, options.MaxArchiveBytes, cancellationToken).ConfigureAwait(false);
            var downloadMs = Ms(downloadStarted);

            var verifyStarted = time.GetTimestamp();
            VerifyChecksum(release, Encoding.UTF8.GetString(checksums), archiveSha);
            var unpacked = Path.Combine(staging, release.Version);
            var extracted = ReleaseArchive.Extract(archivePath, release.ArchiveName, unpacked);
            File.Delete(archivePath);
            VerifySignature(release, extracted, signingKey, request.SigningKeySource);
            var verifyMs = Ms(verifyStarted);

            var installStarted = time.GetTimestamp();
            var reported = await PromoteAsync(release.Version, unpacked, staging, cancellationToken).ConfigureAwait(false);
            AtomicRename.SwapSymlink(layout.Current, RelativeVersionTarget(release.Version));
            PruneVersions(keep: [release.Version, previous]);
            logger.LogInformation("installed SyncThing {Version} at {Path}", release.Version, layout.VersionBinary(release.Version));
            return Result(request, InstallOutcome.Downloaded, previous, reported, new InstallTimings(downloadMs, verifyMs, Ms(installStarted), Ms(started)));
        }
        finally
        {
            DeleteQuietly(staging);
        }
    }

    private static void VerifyChecksum(SyncthingRelease release, string checksumList, byte[] archiveSha)
    {
        var listed = ChecksumList.Find(checksumList, release.ArchiveName) ?? throw new AgentException(
            ExitCodes.ChecksumNotListed,
            $"{SyncthingRelease.ChecksumListName} has no line for {release.ArchiveName}",
            "check --syncthing-version and that the mirror publishes this architecture");
        if (!CryptographicOperations.FixedTimeEquals(listed, archiveSha))
        {
            throw new AgentException(
                ExitCodes.ChecksumMismatch,
                $"{release.ArchiveName} has SHA-256 {Convert.ToHexStringLower(archiveSha)}, the checksum list says {Convert.ToHexStringLower(listed)}",
                "the download was damaged or the mirror is inconsistent: run again, or use another --mirror");
        }
    }

    private static void VerifySignature(SyncthingRelease release, ExtractedRelease extracted, ECDsa key, string keySource)
    {
        if (extracted.Signature is null)
        {
            throw new AgentException(
                ExitCodes.SignatureMissing,
                $"{release.ArchiveName} holds no release.sig, so its origin cannot be verified",
                "use a mirror that serves SyncThing's signed release archives");
        }

        if (!ReleaseSignature.Verify(key, extracted.Signature, extracted.SignedBytesSha256))
        {
            throw new AgentException(
                ExitCodes.SignatureInvalid,
                $"release.sig in {release.ArchiveName} does not verify against the {keySource}",
                "the archive was not signed by the expected key: use the official mirror, or pass the mirror's key with --signing-key");
        }
    }

    /// <summary>Moves the verified version into versions/ and checks it runs. A broken leftover of the same version is moved aside first.</summary>
    private async Task<string> PromoteAsync(string version, string unpacked, string staging, CancellationToken cancellationToken)
    {
        var target = layout.VersionDirectory(version);
        if (Directory.Exists(target))
        {
            AtomicRename.Replace(target, Path.Combine(staging, "replaced"));
        }

        AtomicRename.Replace(unpacked, target);
        var reported = await ReportedVersionAsync(layout.VersionBinary(version), version, cancellationToken).ConfigureAwait(false);
        if (reported is null)
        {
            AtomicRename.Replace(target, Path.Combine(staging, "rejected"));
            throw new AgentException(
                ExitCodes.BinaryBroken,
                $"the downloaded SyncThing {version} does not answer --version; the previous install is kept",
                "check that the archive matches this CPU and C library; run with --verbose for the binary's output");
        }

        return reported;
    }

    /// <summary>The first line of <c>syncthing --version</c> when it names <paramref name="version"/> (a distro suffix like -ds1 is fine), else null.</summary>
    private async Task<string?> ReportedVersionAsync(string binary, string version, CancellationToken cancellationToken)
    {
        if (!File.Exists(binary))
        {
            return null;
        }

        try
        {
            var result = await processes.RunAsync(new ProcessSpec(binary, ["--version"]) { Timeout = VersionCheckTimeout }, cancellationToken).ConfigureAwait(false);
            var line = result.StandardOutput.Split('\n')[0].Trim();
            var words = line.Split(' ', 3);
            var matches = result.Succeeded && words.Length >= 2 && words[0] == "syncthing" &&
                (words[1] == version || words[1].StartsWith(version + "-", StringComparison.Ordinal) || words[1].StartsWith(version + "+", StringComparison.Ordinal));
            if (!matches)
            {
                logger.LogDebug("{Binary} --version exited {Code}: {Output}", binary, result.ExitCode, (line + " " + result.StandardError).Trim());
            }

            return matches ? line : null;
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or TimeoutException or IOException or InvalidOperationException)
        {
            logger.LogDebug("{Binary} --version failed: {Error}", binary, error.Message);
            return null;
        }
    }

    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        FileStream? held = null;
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        await Wait.UntilAsync(
            $"the install lock {layout.LockFile} (another install is running)",
            _ =>
            {
                try
                {
                    held = new FileStream(layout.LockFile, options);
                    return Task.FromResult(true);
                }
                catch (IOException error) when (error.HResult != DiskFullErrno)
                {
                    // FileShare.None is an exclusive flock: another install holds it. Poll until it lets go.
                    return Task.FromResult(false);
                }
            },
            TimeSpan.FromMilliseconds(200),
            LockTimeout,
            time: time,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return held!;
    }

    private void RemoveAbandonedStaging()
    {
        foreach (var directory in Directory.EnumerateDirectories(layout.Root, InstallLayout.StagingPrefix + "*"))
        {
            logger.LogDebug("removing {Directory} left by an interrupted install", directory);
            DeleteQuietly(directory);
        }
    }

    private void PruneVersions(IReadOnlyCollection<string?> keep)
    {
        foreach (var directory in Directory.EnumerateDirectories(layout.VersionsDirectory))
        {
            if (!keep.Contains(Path.GetFileName(directory)))
            {
                logger.LogDebug("removing old version {Directory}", directory);
                DeleteQuietly(directory);
            }
        }
    }

    private void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("could not remove {Directory}: {Error}", directory, error.Message);
        }
    }

    private static string RelativeVersionTarget(string version) => Path.Combine("versions", version);

    private InstallResult Result(InstallRequest request, string outcome, string? previous, string reported, InstallTimings timings) => new(
        request.Release.Version,
        layout.CurrentBinary,
        layout.VersionBinary(request.Release.Version),
        request.Release.Arch,
        outcome,
        outcome == InstallOutcome.Downloaded,
        previous == request.Release.Version ? null : previous,
        reported,
        timings);

    private long Ms(long since) => (long)time.GetElapsedTime(since).TotalMilliseconds;
}
