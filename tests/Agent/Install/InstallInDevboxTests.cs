using Thopter.Tests.Agent.Commands;
using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;

namespace Thopter.Tests.Agent.Install;

/// <summary>
/// The agent as a devbox runs it: user <c>dev</c>, no sudo, downloading from the host's release mirror over 127.0.0.1
/// (the devbox shares the host network). The freshly published binary is copied in, so the test never runs a stale image's agent.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InstallInDevboxTests(DevboxFixture fixture) : IClassFixture<DevboxFixture>
{
    [Fact]
    public async Task Dev_installs_syncthing_into_its_home_without_sudo()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        var devbox = fixture.Devbox;
        var work = $"/tmp/install-{Guid.NewGuid():N}";
        await devbox.ExecAsync("dev", "mkdir", "-p", work);
        await devbox.CopyInAsync(AgentBinary.Path, $"{work}/thopter-agent", owner: "dev");
        await devbox.WriteFileAsync($"{work}/key.pem", mirror.PublicKeyPem, owner: "dev");
        try
        {
            var install = await devbox.ExecAsync("dev", $"{work}/thopter-agent", "install", "--syncthing-version", "v1.19.2", "--mirror", mirror.BaseUri.AbsoluteUri, "--signing-key", $"{work}/key.pem");
            install.EnsureSuccess();
            Assert.Contains("\"path\": \"/home/dev/.local/lib/thopter/syncthing/current/syncthing\"", install.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("\"outcome\": \"downloaded\"", install.StandardOutput, StringComparison.Ordinal);

            var check = (await devbox.ShellAsync("dev", """
                set -euo pipefail
                ~/.local/lib/thopter/syncthing/current/syncthing --version
                stat -c '%U %a' ~/.local/lib/thopter/syncthing/versions/v1.19.2/syncthing
                readlink ~/.local/lib/thopter/syncthing/current
                """)).EnsureSuccess().StandardOutput.Split('\n');
            Assert.StartsWith("syncthing v1.19.2", check[0], StringComparison.Ordinal);
            Assert.Equal("dev 755", check[1]);
            Assert.Equal("versions/v1.19.2", check[2]);

            var again = (await devbox.ExecAsync("dev", $"{work}/thopter-agent", "install", "--syncthing-version", "v1.19.2", "--mirror", mirror.BaseUri.AbsoluteUri, "--signing-key", $"{work}/key.pem")).EnsureSuccess();
            Assert.Contains("\"outcome\": \"already-present\"", again.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(1, mirror.RequestCount(LocalReleaseMirror.ArchivePath("v1.19.2")));
        }
        finally
        {
            await devbox.ExecAsync("root", "rm", "-rf", work, "/home/dev/.local/lib/thopter");
        }
    }
}
