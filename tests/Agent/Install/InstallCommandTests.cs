using Xunit;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Thopter.Agent;
using Thopter.Agent.Install;
using Thopter.Tests.Agent.Commands;

namespace Thopter.Tests.Agent.Install;

/// <summary>
/// The install command end to end in-process: a fake mirror (HttpMessageHandler) serves releases built and signed in the
/// test; everything else is real (files in a temp home, tar/gzip, ECDSA, the unpacked "syncthing" really runs).
/// </summary>
public sealed class InstallCommandTests : IDisposable
{
    private readonly FakeMirrorHandler mirror = new();
    private readonly AgentRun run;
    private readonly TestRelease release = new();
    private readonly string keyFile;

    public InstallCommandTests()
    {
        run = new AgentRun(mirror);
        keyFile = Path.Combine(run.UserHome, "mirror-key.pem");
        File.WriteAllText(keyFile, release.PublicKeyPem);
    }

    public void Dispose()
    {
        release.Dispose();
        run.Dispose();
    }

    private Task<AgentRun.Outcome> InstallAsync(TestRelease which, params string[] extra) => run.RunAsync(
        ["install", "--syncthing-version", which.Version, "--mirror", "http://mirror.test/releases", "--signing-key", WriteKey(which), .. extra]);

    private string WriteKey(TestRelease which)
    {
        if (which == release)
        {
            return keyFile;
        }

        var path = Path.Combine(run.UserHome, $"key-{which.Version}.pem");
        File.WriteAllText(path, which.PublicKeyPem);
        return path;
    }

    [Fact]
    public async Task Installs_a_verified_release_behind_the_current_symlink()
    {
        release.ServeOn(mirror);
        var outcome = await InstallAsync(release);

        Assert.True(outcome.ExitCode == 0, outcome.Output + outcome.Error);
        var json = outcome.Json();
        Assert.Equal("v1.19.2", json.GetProperty("version").GetString());
        Assert.Equal("amd64", json.GetProperty("arch").GetString());
        Assert.Equal("downloaded", json.GetProperty("outcome").GetString());
        Assert.True(json.GetProperty("downloaded").GetBoolean());
        Assert.Equal(run.Layout.CurrentBinary, json.GetProperty("path").GetString());
        Assert.StartsWith("syncthing v1.19.2 ", json.GetProperty("reportedVersion").GetString(), StringComparison.Ordinal);
        Assert.Contains("\\\"Test Release\\\"", outcome.Output, StringComparison.Ordinal);
        Assert.True(json.GetProperty("timings").GetProperty("totalMs").GetInt64() >= 0);

        Assert.Equal(release.Binary, File.ReadAllBytes(run.Layout.CurrentBinary));
        Assert.Equal("versions/v1.19.2", new FileInfo(run.Layout.Current).LinkTarget);
        Assert.True(File.GetUnixFileMode(run.Layout.VersionBinary("v1.19.2")).HasFlag(UnixFileMode.UserExecute));
        AssertNoLeftovers();
    }

    [Fact]
    public async Task Entry_order_in_the_archive_does_not_matter()
    {
        release.Archive = TestRelease.BuildArchive(
            ($"{release.Folder}/release.sig", Encoding.ASCII.GetBytes(release.Signature)),
            ($"{release.Folder}/etc/linux-systemd/user/syncthing.service", Encoding.UTF8.GetBytes("[Unit]")),
            ($"{release.Folder}/syncthing", release.Binary),
            ($"{release.Folder}/README.txt", Encoding.UTF8.GetBytes("readme")));
        release.ServeOn(mirror);

        var outcome = await InstallAsync(release);

        Assert.True(outcome.ExitCode == 0, outcome.Output);
        Assert.Equal(release.Binary, File.ReadAllBytes(run.Layout.CurrentBinary));
    }

    [Fact]
    public async Task A_second_run_skips_the_download()
    {
        release.ServeOn(mirror);
        Assert.Equal(0, (await InstallAsync(release)).ExitCode);
        var again = await InstallAsync(release);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal("already-present", again.Json().GetProperty("outcome").GetString());
        Assert.False(again.Json().GetProperty("downloaded").GetBoolean());
        Assert.Equal(1, mirror.Requests(release.ArchivePath));
    }

    [Fact]
    public async Task Two_installs_at_once_end_as_one_install()
    {
        release.ServeOn(mirror);

        var both = await Task.WhenAll(InstallAsync(release), InstallAsync(release));

        Assert.All(both, outcome => Assert.True(outcome.ExitCode == 0, outcome.Output));
        Assert.Equal(["already-present", "downloaded"], both.Select(o => o.Json().GetProperty("outcome").GetString()).Order());
        Assert.Equal(1, mirror.Requests(release.ArchivePath));
        AssertNoLeftovers();
    }

    [Fact]
    public async Task Leftovers_of_an_interrupted_install_are_removed()
    {
        var abandoned = Path.Combine(run.Layout.Root, InstallLayout.StagingPrefix + "killed");
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(Path.Combine(abandoned, release.Release.ArchiveName), "half a download");
        release.ServeOn(mirror);

        Assert.Equal(0, (await InstallAsync(release)).ExitCode);
        AssertNoLeftovers();
    }

    [Fact]
    public async Task A_truncated_download_is_retried_and_never_used()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Ok(release.ChecksumList))
            .Serve(release.ArchivePath, FakeMirrorHandler.Truncated(release.Archive, release.Archive.Length / 2), FakeMirrorHandler.Ok(release.Archive));

        var outcome = await InstallAsync(release);

        Assert.True(outcome.ExitCode == 0, outcome.Output);
        Assert.Equal(2, mirror.Requests(release.ArchivePath));
        Assert.Equal(release.Binary, File.ReadAllBytes(run.Layout.CurrentBinary));
    }

    [Fact]
    public async Task Truncated_on_every_attempt_fails_as_download_incomplete()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Ok(release.ChecksumList))
            .Serve(release.ArchivePath, FakeMirrorHandler.Truncated(release.Archive, 100));

        var outcome = await InstallAsync(release);

        outcome.AssertError(ExitCodes.DownloadIncomplete);
        Assert.Equal(3, mirror.Requests(release.ArchivePath));
        Assert.False(File.Exists(run.Layout.CurrentBinary));
        AssertNoLeftovers();
    }

    [Fact]
    public async Task A_connection_dropped_before_the_response_is_retried_as_incomplete()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Dropped());

        var outcome = await InstallAsync(release);

        outcome.AssertError(ExitCodes.DownloadIncomplete);
        Assert.Equal(3, mirror.Requests(release.ChecksumPath));
        Assert.Contains("ResponseEnded", outcome.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_download_is_abandoned_and_retried()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Ok(release.ChecksumList))
            .Serve(release.ArchivePath, FakeMirrorHandler.Stalls(release.Archive, 10), FakeMirrorHandler.Ok(release.Archive));

        var outcome = await InstallAsync(release);

        Assert.True(outcome.ExitCode == 0, outcome.Output);
        Assert.Equal(2, mirror.Requests(release.ArchivePath));
    }

    [Fact]
    public async Task Stalled_on_every_attempt_fails_as_download_incomplete()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Ok(release.ChecksumList))
            .Serve(release.ArchivePath, FakeMirrorHandler.Stalls(release.Archive, 10));

        var outcome = await InstallAsync(release);

        outcome.AssertError(ExitCodes.DownloadIncomplete);
        Assert.Contains("stalled", outcome.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        AssertNoLeftovers();
    }

    [Fact]
    public async Task Download_attempts_can_be_set_on_the_command_line()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Status(HttpStatusCode.BadGateway));

        (await InstallAsync(release, "--download-attempts", "5")).AssertError(ExitCodes.MirrorError);
        Assert.Equal(5, mirror.Requests(release.ChecksumPath));
    }

    [Fact]
    public async Task Not_found_fails_at_once_without_retries()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Status(HttpStatusCode.NotFound));

        var outcome = await InstallAsync(release);

        outcome.AssertError(ExitCodes.ReleaseNotFound);
        Assert.Equal(1, mirror.Requests(release.ChecksumPath));
        Assert.Equal(0, mirror.Requests(release.ArchivePath));
    }

    [Fact]
    public async Task Server_errors_are_retried_then_reported()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Status(HttpStatusCode.InternalServerError));

        var outcome = await InstallAsync(release);

        outcome.AssertError(ExitCodes.MirrorError);
        Assert.Equal(3, mirror.Requests(release.ChecksumPath));
    }

    [Fact]
    public async Task A_passing_server_error_is_survived()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Status(HttpStatusCode.ServiceUnavailable), FakeMirrorHandler.Ok(release.ChecksumList))
            .Serve(release.ArchivePath, FakeMirrorHandler.Ok(release.Archive));

        Assert.Equal(0, (await InstallAsync(release)).ExitCode);
    }

    [Fact]
    public async Task An_unreachable_mirror_is_reported_after_retries()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Refused());

        var outcome = await InstallAsync(release);

        outcome.AssertError(ExitCodes.MirrorUnreachable);
        Assert.Equal(3, mirror.Requests(release.ChecksumPath));
    }

    [Fact]
    public async Task A_checksum_mismatch_keeps_the_previous_install()
    {
        using var next = new TestRelease("v1.19.3");
        release.ServeOn(mirror);
        Assert.Equal(0, (await InstallAsync(release)).ExitCode);
        mirror.Serve(next.ChecksumPath, FakeMirrorHandler.Ok(next.ChecksumListFor(Encoding.UTF8.GetBytes("something else"))))
            .Serve(next.ArchivePath, FakeMirrorHandler.Ok(next.Archive));

        var outcome = await InstallAsync(next);

        outcome.AssertError(ExitCodes.ChecksumMismatch);
        AssertPreviousIntact();
    }

    [Fact]
    public async Task An_archive_missing_from_the_checksum_list_is_refused()
    {
        mirror.Serve(release.ChecksumPath, FakeMirrorHandler.Ok(Encoding.UTF8.GetBytes("-----BEGIN PGP SIGNED MESSAGE-----\n\n")))
            .Serve(release.ArchivePath, FakeMirrorHandler.Ok(release.Archive));

        (await InstallAsync(release)).AssertError(ExitCodes.ChecksumNotListed);
        AssertNoLeftovers();
    }

    [Fact]
    public async Task A_signature_from_another_key_keeps_the_previous_install()
    {
        using var next = new TestRelease("v1.19.3");
        release.ServeOn(mirror);
        Assert.Equal(0, (await InstallAsync(release)).ExitCode);
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        next.Archive = TestRelease.BuildArchive(
            ($"{next.Folder}/syncthing", next.Binary),
            ($"{next.Folder}/release.sig", Encoding.ASCII.GetBytes(TestRelease.Sign(impostor, next.Release.ArchiveName, next.Binary))));
        next.ServeOn(mirror);

        var outcome = await InstallAsync(next);

        outcome.AssertError(ExitCodes.SignatureInvalid);
        AssertPreviousIntact();
    }

    [Fact]
    public async Task A_signature_for_another_archive_name_is_refused()
    {
        // The archive name is part of the signed bytes: a genuine binary re-labelled as another version or arch must fail.
        release.Archive = TestRelease.BuildArchive(
            ($"{release.Folder}/syncthing", release.Binary),
            ($"{release.Folder}/release.sig", Encoding.ASCII.GetBytes(TestRelease.Sign(release.Key, "syncthing-linux-arm64-v1.19.2.tar.gz", release.Binary))));
        release.ServeOn(mirror);

        (await InstallAsync(release)).AssertError(ExitCodes.SignatureInvalid);
        AssertNoLeftovers();
    }

    [Fact]
    public async Task The_built_in_syncthing_key_rejects_a_test_signed_release()
    {
        release.ServeOn(mirror);
        var outcome = await run.RunAsync("install", "--syncthing-version", release.Version, "--mirror", "http://mirror.test/releases");

        outcome.AssertError(ExitCodes.SignatureInvalid);
        Assert.Contains("built-in", outcome.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_without_release_sig_is_refused()
    {
        release.Archive = TestRelease.BuildArchive(($"{release.Folder}/syncthing", release.Binary));
        release.ServeOn(mirror);

        (await InstallAsync(release)).AssertError(ExitCodes.SignatureMissing);
        AssertNoLeftovers();
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("syncthing-linux-amd64-v1.19.2/../../escape")]
    [InlineData("/tmp/thopter-escape")]
    public async Task Path_traversal_rejects_the_whole_archive(string evilName)
    {
        release.Archive = TestRelease.BuildArchive(
            (evilName, Encoding.UTF8.GetBytes("gotcha")),
            ($"{release.Folder}/syncthing", release.Binary),
            ($"{release.Folder}/release.sig", Encoding.ASCII.GetBytes(release.Signature)));
        release.ServeOn(mirror);

        var outcome = await InstallAsync(release);

        outcome.AssertError(ExitCodes.ArchiveInvalid);
        Assert.False(File.Exists(Path.Combine(run.Layout.Root, "escape")));
        Assert.False(File.Exists(Path.Combine(run.UserHome, ".local", "lib", "thopter", "escape")));
        AssertNoLeftovers();
    }

    [Fact]
    public async Task A_binary_that_does_not_answer_version_keeps_the_previous_install()
    {
        using var next = new TestRelease("v1.19.3", versionExitCode: 1);
        release.ServeOn(mirror);
        Assert.Equal(0, (await InstallAsync(release)).ExitCode);
        next.ServeOn(mirror);

        (await InstallAsync(next)).AssertError(ExitCodes.BinaryBroken);
        AssertPreviousIntact();
        Assert.False(Directory.Exists(run.Layout.VersionDirectory("v1.19.3")));
    }

    [Fact]
    public async Task Upgrading_keeps_the_previous_version_and_prunes_older_ones()
    {
        using var second = new TestRelease("v1.19.3");
        using var third = new TestRelease("v1.20.0");
        foreach (var r in new[] { release, second, third })
        {
            r.ServeOn(mirror);
        }

        Assert.Equal(0, (await InstallAsync(release)).ExitCode);
        var upgrade = await InstallAsync(second);
        Assert.Equal("v1.19.2", upgrade.Json().GetProperty("previousVersion").GetString());
        Assert.True(Directory.Exists(run.Layout.VersionDirectory("v1.19.2")));

        Assert.Equal(0, (await InstallAsync(third)).ExitCode);
        Assert.Equal("versions/v1.20.0", new FileInfo(run.Layout.Current).LinkTarget);
        Assert.True(Directory.Exists(run.Layout.VersionDirectory("v1.19.3")));
        Assert.False(Directory.Exists(run.Layout.VersionDirectory("v1.19.2")));
    }

    [Fact]
    public async Task Going_back_to_an_installed_version_swaps_current_without_downloading()
    {
        using var second = new TestRelease("v1.19.3");
        release.ServeOn(mirror);
        second.ServeOn(mirror);
        Assert.Equal(0, (await InstallAsync(release)).ExitCode);
        Assert.Equal(0, (await InstallAsync(second)).ExitCode);

        var back = await InstallAsync(release);

        Assert.Equal("already-present", back.Json().GetProperty("outcome").GetString());
        Assert.Equal("versions/v1.19.2", new FileInfo(run.Layout.Current).LinkTarget);
        Assert.Equal(1, mirror.Requests(release.ArchivePath));
    }

    [Fact]
    public async Task Arm64_fetches_the_arm64_archive()
    {
        using var arm = new TestRelease(arch: "arm64");
        using var armRun = new AgentRun(mirror, Architecture.Arm64);
        arm.ServeOn(mirror);
        var key = Path.Combine(armRun.UserHome, "key.pem");
        File.WriteAllText(key, arm.PublicKeyPem);

        var outcome = await armRun.RunAsync("install", "--syncthing-version", arm.Version, "--mirror", "http://mirror.test/releases", "--signing-key", key);

        Assert.True(outcome.ExitCode == 0, outcome.Output);
        Assert.Equal("arm64", outcome.Json().GetProperty("arch").GetString());
        Assert.Equal(1, mirror.Requests("syncthing-linux-arm64-v1.19.2.tar.gz"));
    }

    [Fact]
    public async Task An_unsupported_architecture_is_refused()
    {
        using var x86 = new AgentRun(mirror, Architecture.X86);
        (await x86.RunAsync("install")).AssertError(ExitCodes.UnsupportedArchitecture);
    }

    [Theory]
    [InlineData("--syncthing-version", "latest")]
    [InlineData("--syncthing-version", "v1.19")]
    [InlineData("--mirror", "ftp://example.invalid")]
    [InlineData("--mirror", "not a url")]
    [InlineData("--download-attempts", "0")]
    [InlineData("--stall-timeout", "-1")]
    public async Task Bad_arguments_are_usage_errors(string option, string value)
    {
        (await run.RunAsync("install", option, value)).AssertError(ExitCodes.Usage);
        Assert.Equal(0, mirror.Requests("/"));
    }

    [Fact]
    public async Task A_signing_key_that_is_not_p521_is_refused()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = Path.Combine(run.UserHome, "p256.pem");
        File.WriteAllText(file, PemEncoding.WriteString("PUBLIC KEY", p256.ExportSubjectPublicKeyInfo()));

        (await run.RunAsync("install", "--signing-key", file)).AssertError(ExitCodes.SigningKeyInvalid);
        File.WriteAllText(file, "not a key");
        (await run.RunAsync("install", "--signing-key", file)).AssertError(ExitCodes.SigningKeyInvalid);
    }

    private void AssertPreviousIntact()
    {
        Assert.Equal("versions/v1.19.2", new FileInfo(run.Layout.Current).LinkTarget);
        Assert.Equal(release.Binary, File.ReadAllBytes(run.Layout.CurrentBinary));
        AssertNoLeftovers();
    }

    /// <summary>No staging directory, temp symlink or partial file survives a run, whatever its outcome.</summary>
    private void AssertNoLeftovers()
    {
        if (!Directory.Exists(run.Layout.Root))
        {
            return;
        }

        var stray = Directory.EnumerateFileSystemEntries(run.Layout.Root)
            .Select(Path.GetFileName)
            .Where(name => name is not ("versions" or "current" or ".lock"))
            .ToList();
        Assert.Empty(stray);
        foreach (var version in Directory.EnumerateDirectories(run.Layout.VersionsDirectory))
        {
            Assert.Equal(["syncthing"], Directory.EnumerateFileSystemEntries(version).Select(Path.GetFileName));
        }
    }
}
