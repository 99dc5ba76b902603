using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Thopter.Agent;
using Thopter.Agent.Install;
using Thopter.Shared.Processes;
using Thopter.Shared.Timing;
using Thopter.Tests.Agent.Commands;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;

namespace Thopter.Tests.Agent.Install;

/// <summary>
/// The real AOT agent against the harness's release mirror on 127.0.0.1 (real HTTP, real Debian syncthing re-packed and
/// signed with the mirror's test key), on the host with a temp HOME.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InstallIntegrationTests : IAsyncLifetime
{
    private const string Previous = "v1.19.2";
    private const string Next = "v1.19.3";
    private static readonly string[] FastRetries = ["--download-attempts", "2", "--stall-timeout", "1"];
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("thopter-install-it-");
    private LocalReleaseMirror mirror = null!;
    private string keyFile = null!;

    private InstallLayout Layout => new(home.FullName);

    public async Task InitializeAsync()
    {
        mirror = await LocalReleaseMirror.StartAsync(Previous, Next);
        keyFile = Path.Combine(home.FullName, "mirror-key.pem");
        await File.WriteAllTextAsync(keyFile, mirror.PublicKeyPem);
    }

    public async Task DisposeAsync()
    {
        await mirror.DisposeAsync();
        home.Delete(recursive: true);
    }

    private Task<AgentBinary.Result> InstallAsync(string version, params string[] extra) => AgentBinary.RunAsync(
        home.FullName, ["install", "--syncthing-version", version, "--mirror", mirror.BaseUri.AbsoluteUri, "--signing-key", keyFile, .. extra]);

    [Fact]
    public async Task Installs_the_real_syncthing_and_skips_it_the_second_time()
    {
        var first = await InstallAsync(Previous);
        first.AssertSuccess();
        var json = first.Json();
        Assert.Equal("downloaded", json.GetProperty("outcome").GetString());
        Assert.Equal(Layout.CurrentBinary, json.GetProperty("path").GetString());
        Assert.StartsWith("syncthing v1.19.2", json.GetProperty("reportedVersion").GetString(), StringComparison.Ordinal);
        var version = await new ProcessRunner().RunAsync(new ProcessSpec(Layout.CurrentBinary, ["--version"]));
        Assert.StartsWith("syncthing v1.19.2", version.StandardOutput, StringComparison.Ordinal);

        var second = await InstallAsync(Previous);
        second.AssertSuccess();
        Assert.Equal("already-present", second.Json().GetProperty("outcome").GetString());
        Assert.Equal(1, mirror.RequestCount(LocalReleaseMirror.ArchivePath(Previous)));
    }

    [Theory]
    [InlineData(ReleaseFault.WrongChecksum, 26)]
    [InlineData(ReleaseFault.BadSignature, 28)]
    [InlineData(ReleaseFault.NotFound, 22)]
    [InlineData(ReleaseFault.ServerError, 23)]
    [InlineData(ReleaseFault.Truncated, 24)]
    [InlineData(ReleaseFault.Stall, 24)]
    public async Task A_failing_upgrade_leaves_the_previous_install_intact(ReleaseFault fault, int exitCode)
    {
        (await InstallAsync(Previous)).AssertSuccess();
        var before = await File.ReadAllBytesAsync(Layout.CurrentBinary);
        mirror.Fault = fault;

        var outcome = await InstallAsync(Next, FastRetries);

        outcome.AssertError(ExitCodes.All.Single(c => c.Value == exitCode));
        AssertPreviousIntact(before);
    }

    [Fact]
    public async Task A_binary_that_reports_another_version_is_not_made_current()
    {
        // The mirror's v1.19.3 archive holds the Debian v1.19.2 binary: correctly signed, but not the version asked for.
        (await InstallAsync(Previous)).AssertSuccess();
        var before = await File.ReadAllBytesAsync(Layout.CurrentBinary);

        (await InstallAsync(Next)).AssertError(ExitCodes.BinaryBroken);

        AssertPreviousIntact(before);
        Assert.False(Directory.Exists(Layout.VersionDirectory(Next)));
    }

    [Theory]
    [InlineData(ReleaseFault.Truncated)]
    [InlineData(ReleaseFault.Stall)]
    [InlineData(ReleaseFault.ServerError)]
    public async Task One_bad_attempt_is_retried_and_never_used(ReleaseFault fault)
    {
        mirror.SetFault(LocalReleaseMirror.ArchivePath(Previous), fault, times: 1);

        var outcome = await InstallAsync(Previous, FastRetries);

        outcome.AssertSuccess();
        Assert.Equal(2, mirror.RequestCount(LocalReleaseMirror.ArchivePath(Previous)));
        Assert.Equal(await File.ReadAllBytesAsync(LocalReleaseMirror.DefaultBinary), await File.ReadAllBytesAsync(Layout.CurrentBinary));
    }

    [Fact]
    public async Task An_unreachable_mirror_is_reported()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var outcome = await AgentBinary.RunAsync(home.FullName, ["install", "--mirror", $"http://127.0.0.1:{closedPort}", "--signing-key", keyFile, .. FastRetries]);

        outcome.AssertError(ExitCodes.MirrorUnreachable);
    }

    [Fact]
    public async Task The_built_in_syncthing_key_rejects_the_test_mirror()
    {
        var outcome = await AgentBinary.RunAsync(home.FullName, "install", "--syncthing-version", Previous, "--mirror", mirror.BaseUri.AbsoluteUri);

        outcome.AssertError(ExitCodes.SignatureInvalid);
        Assert.False(File.Exists(Layout.CurrentBinary));
    }

    [Fact]
    public async Task Sigterm_during_a_download_cleans_up_and_reports_interrupted()
    {
        (await InstallAsync(Previous)).AssertSuccess();
        mirror.SetFault(LocalReleaseMirror.ArchivePath(Next), ReleaseFault.Stall);
        var start = new ProcessStartInfo(AgentBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["HOME"] = home.FullName },
        };
        foreach (var arg in new[] { "install", "--syncthing-version", Next, "--mirror", mirror.BaseUri.AbsoluteUri, "--signing-key", keyFile })
        {
            start.ArgumentList.Add(arg);
        }

        using var agent = Process.Start(start)!;
        var stdout = agent.StandardOutput.ReadToEndAsync();
        var stderr = agent.StandardError.ReadToEndAsync();
        await Wait.UntilAsync(
            "the agent to start downloading the stalling archive",
            _ => Task.FromResult(mirror.RequestCount(LocalReleaseMirror.ArchivePath(Next)) > 0),
            TimeSpan.FromMilliseconds(20),
            TimeSpan.FromSeconds(30));
        Assert.Contains(Directory.EnumerateDirectories(Layout.Root), d => Path.GetFileName(d).StartsWith(InstallLayout.StagingPrefix, StringComparison.Ordinal));

        (await new ProcessRunner().RunAsync(new ProcessSpec("kill", ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)]))).EnsureExit0();
        await agent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        new AgentBinary.Result(agent.ExitCode, await stdout, await stderr).AssertError(ExitCodes.Interrupted);
        AssertPreviousIntact(await File.ReadAllBytesAsync(LocalReleaseMirror.DefaultBinary));
    }

    /// <summary>
    /// A real ENOSPC: the install directory is a small tmpfs (mounted in a user+mount namespace, no root needed) that holds
    /// the first version but not the download and unpacking of a second.
    /// </summary>
    [Fact]
    public async Task A_full_disk_fails_as_disk_full_and_keeps_the_previous_install()
    {
        var archive = mirror.ArchiveBytes(Previous).Length;
        var binary = new FileInfo(LocalReleaseMirror.DefaultBinary).Length;
        var sizeKb = (archive + binary + (4 << 20)) / 1024;
        var results = Path.Combine(home.FullName, "results");
        Directory.CreateDirectory(results);
        var lib = Path.Combine(home.FullName, ".local", "lib");
        Directory.CreateDirectory(lib);
        string Install(string version) =>
            $"'{AgentBinary.Path}' install --syncthing-version {version} --mirror {mirror.BaseUri.AbsoluteUri} --signing-key '{keyFile}'";
        var script = $"""
            set -u
            mount -t tmpfs -o size={sizeKb}k tmpfs '{lib}' || exit 99
            {Install(Previous)} > '{results}/first.json' 2>/dev/null; echo $? > '{results}/first.rc'
            {Install(Next)} > '{results}/second.json' 2>'{results}/second.err'; echo $? > '{results}/second.rc'
            '{Layout.CurrentBinary}' --version > '{results}/version.txt'
            find '{Layout.Root}' -mindepth 1 -maxdepth 2 | sort > '{results}/files.txt'
            """;

        var run = await new ProcessRunner().RunAsync(new ProcessSpec("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", script])
        {
            Environment = new Dictionary<string, string?> { ["HOME"] = home.FullName },
        });

        Assert.True(run.ExitCode == 0, $"unshare/tmpfs setup failed ({run.ExitCode}): {run.StandardError}");
        Assert.Equal("0", File.ReadAllText(Path.Combine(results, "first.rc")).Trim());
        var second = new AgentBinary.Result(
            int.Parse(File.ReadAllText(Path.Combine(results, "second.rc")).Trim(), System.Globalization.CultureInfo.InvariantCulture),
            File.ReadAllText(Path.Combine(results, "second.json")),
            File.ReadAllText(Path.Combine(results, "second.err")));
        second.AssertError(ExitCodes.DiskFull);
        Assert.StartsWith("syncthing v1.19.2", File.ReadAllText(Path.Combine(results, "version.txt")), StringComparison.Ordinal);
        var files = File.ReadAllLines(Path.Combine(results, "files.txt")).Select(f => Path.GetRelativePath(Layout.Root, f)).ToArray();
        Assert.Equal([".lock", "current", "versions", Path.Combine("versions", Previous)], files);
    }

    private void AssertPreviousIntact(byte[] before)
    {
        Assert.Equal(Path.Combine("versions", Previous), new FileInfo(Layout.Current).LinkTarget);
        Assert.Equal(before, File.ReadAllBytes(Layout.CurrentBinary));
        Assert.Equal([".lock", "current", "versions"], Directory.EnumerateFileSystemEntries(Layout.Root).Select(Path.GetFileName).Order());
        Assert.Equal([Previous], Directory.EnumerateDirectories(Layout.VersionsDirectory).Select(Path.GetFileName));
    }
}
