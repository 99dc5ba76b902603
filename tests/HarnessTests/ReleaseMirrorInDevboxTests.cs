using Thopter.Tests.Harness.Docker;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;

namespace Thopter.Tests.HarnessTests;

[Trait("Category", "Integration")]
public sealed class ReleaseMirrorInDevboxTests(DevboxFixture fixture) : IClassFixture<DevboxFixture>
{
    [Fact]
    public async Task A_devbox_downloads_the_archive_from_the_host_mirror_unpacks_it_and_runs_syncthing()
    {
        await using var mirror = await LocalReleaseMirror.StartAsync("v1.19.2");
        var devbox = fixture.Devbox;
        var work = $"/tmp/mirror-{Guid.NewGuid():N}";
        try
        {
            // The devbox has no curl: bash's /dev/tcp speaks HTTP/1.0; `read` consumes the headers byte by byte, cat the body.
            var download = await devbox.ShellAsync("dev", $$"""
                set -euo pipefail
                mkdir -p {{work}} && cd {{work}}
                exec 3<>/dev/tcp/127.0.0.1/{{mirror.BaseUri.Port}}
                printf 'GET {{mirror.ArchiveUri().AbsolutePath}} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
                IFS= read -r status <&3
                while IFS= read -r line <&3 && [ "$line" != $'\r' ]; do :; done
                cat <&3 > release.tar.gz
                echo "$status"
                tar -xzf release.tar.gz
                ./syncthing-linux-amd64-v1.19.2/syncthing --version
                """);

            download.EnsureSuccess();
            Assert.StartsWith("HTTP/1.1 200", download.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("syncthing v1.19.2", download.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(1, mirror.RequestCount(LocalReleaseMirror.ArchivePath("v1.19.2")));
            var sha = (await devbox.ExecAsync("dev", "sha256sum", $"{work}/release.tar.gz")).EnsureSuccess().StandardOutput.Split(' ')[0];
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(mirror.ArchiveBytes())), sha);
        }
        finally
        {
            await devbox.ExecAsync("root", "rm", "-rf", work);
        }
    }
}
