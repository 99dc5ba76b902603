using Thopter.Agent;
using Thopter.Agent.Install;
using Thopter.Shared.Processes;
using Xunit;

namespace Thopter.Tests.Agent.Install;

/// <summary>setup --syncthing-binary: a SyncThing already on the machine becomes <c>current</c>, nothing is downloaded.</summary>
public sealed class ExternalSyncthingTests : IDisposable
{
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("thopter-external-");

    public void Dispose() => home.Delete(recursive: true);

    private InstallLayout Layout => new(home.FullName);

    private ExternalSyncthing External => new(Layout, new ProcessRunner());

    /// <summary>Debian's binary (it says v1.19.2-ds1) runs as current under the upstream tag.</summary>
    [Fact]
    public async Task The_debian_binary_becomes_current_once()
    {
        var (version, changed) = await External.AdoptAsync("/usr/bin/syncthing", CancellationToken.None);

        Assert.Equal("v1.19.2", version);
        Assert.True(changed);
        Assert.Equal("external-v1.19.2", Layout.CurrentVersion());
        Assert.Equal("/usr/bin/syncthing", new FileInfo(Layout.VersionBinary("external-v1.19.2")).LinkTarget);
        var run = await new ProcessRunner().RunAsync(new ProcessSpec(Layout.CurrentBinary, ["--version"]));
        Assert.StartsWith("syncthing v1.19.2", run.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(("v1.19.2", false), await External.AdoptAsync("/usr/bin/syncthing", CancellationToken.None));
    }

    [Fact]
    public async Task Switching_back_and_forth_moves_current_each_time()
    {
        var other = Script("newer", "syncthing v2.1.3 \"Hafnium Hornet\" (go1.25 linux-amd64) builder@example");

        Assert.Equal(("v2.1.3", true), await External.AdoptAsync(other, CancellationToken.None));
        Assert.Equal("external-v2.1.3", Layout.CurrentVersion());
        Assert.Equal(("v1.19.2", true), await External.AdoptAsync("/usr/bin/syncthing", CancellationToken.None));
        Assert.Equal("external-v1.19.2", Layout.CurrentVersion());
    }

    [Theory]
    [InlineData("relative/syncthing")]
    [InlineData("/nonexistent/syncthing")]
    public async Task A_path_that_is_no_file_is_a_usage_error_and_changes_nothing(string path)
    {
        var error = await Assert.ThrowsAsync<AgentException>(() => External.AdoptAsync(path, CancellationToken.None));

        Assert.Equal(ExitCodes.Usage, error.Code);
        Assert.False(Directory.Exists(Layout.Root));
    }

    [Theory]
    [InlineData("hello world", 0)]
    [InlineData("syncthing v1.19.2", 3)]
    [InlineData("syncthing unknown-dev", 0)]
    public async Task A_binary_that_does_not_answer_like_syncthing_is_refused(string output, int exitCode)
    {
        var script = Script("odd", output, exitCode);

        var error = await Assert.ThrowsAsync<AgentException>(() => External.AdoptAsync(script, CancellationToken.None));

        Assert.Equal(ExitCodes.BinaryBroken, error.Code);
        Assert.False(Directory.Exists(Layout.Root));
    }

    private string Script(string name, string versionLine, int exitCode = 0)
    {
        var path = Path.Combine(home.FullName, name);
        File.WriteAllText(path, $"#!/bin/sh\necho '{versionLine}'\nexit {exitCode}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
