namespace Thopter.Agent.Install;

/// <summary>The install's <c>outcome</c> values.</summary>
public static class InstallOutcome
{
    public const string Downloaded = "downloaded";
    public const string AlreadyPresent = "already-present";
}

/// <summary>The install command's stdout document.</summary>
/// <param name="Path">The stable path to run (the <c>current</c> symlink); <paramref name="VersionPath"/> is the real file.</param>
public sealed record InstallResult(
    string Version,
    string Path,
    string VersionPath,
    string Arch,
    string Outcome,
    bool Downloaded,
    string? PreviousVersion,
    string ReportedVersion,
    InstallTimings Timings);

public sealed record InstallTimings(long DownloadMs, long VerifyMs, long InstallMs, long TotalMs);
