using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Thopter.Shared.Processes;
using Thopter.Tests.Harness.ReleaseMirror;
using Xunit;

namespace Thopter.Tests.HarnessTests;

public sealed class ReleaseMirrorTests : IAsyncLifetime
{
    private const string Version = "v1.19.2";
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private LocalReleaseMirror mirror = null!;

    public async Task InitializeAsync() => mirror = await LocalReleaseMirror.StartAsync(Version);

    public async Task DisposeAsync()
    {
        http.Dispose();
        await mirror.DisposeAsync();
    }

    [Fact]
    public async Task Serves_an_archive_laid_out_like_upstream_with_the_debian_binary_and_a_valid_release_signature()
    {
        Assert.Equal("127.0.0.1", mirror.BaseUri.Host);
        Assert.EndsWith($"/{Version}/syncthing-linux-amd64-{Version}.tar.gz", mirror.ArchiveUri(Version).AbsolutePath, StringComparison.Ordinal);

        var entries = await DownloadEntriesAsync();

        var directory = $"syncthing-linux-amd64-{Version}";
        Assert.Equal(new[] { directory + "/", directory + "/release.sig", directory + "/syncthing" }, entries.Keys.Order().ToArray());
        var binary = entries[directory + "/syncthing"];
        Assert.Equal(await File.ReadAllBytesAsync(LocalReleaseMirror.DefaultBinary), binary);
        var signature = System.Text.Encoding.ASCII.GetString(entries[directory + "/release.sig"]);
        Assert.StartsWith("-----BEGIN SIGNATURE-----", signature, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN EC PUBLIC KEY-----", mirror.PublicKeyPem, StringComparison.Ordinal);
        Assert.True(ReleaseSigningKey.Verify(mirror.PublicKeyPem, signature, $"{directory}.tar.gz", binary));
        Assert.False(ReleaseSigningKey.Verify(mirror.PublicKeyPem, signature, $"syncthing-linux-arm64-{Version}.tar.gz", binary));
    }

    [Fact]
    public async Task The_signature_verifies_with_openssl_as_plain_ecdsa_over_the_hex_digest()
    {
        var entries = await DownloadEntriesAsync();
        var binary = entries[$"syncthing-linux-amd64-{Version}/syncthing"];
        var signature = System.Text.Encoding.ASCII.GetString(entries[$"syncthing-linux-amd64-{Version}/release.sig"]);
        var dir = Directory.CreateTempSubdirectory("thopter-sig-");
        try
        {
            // openssl knows the PKIX key as "PUBLIC KEY"; the DER inside is what Go's x509.ParsePKIXPublicKey reads.
            var publicKey = ReleaseSigningKey.PemBlock(mirror.PublicKeyPem, "EC PUBLIC KEY");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "pub.pem"), new string(PemEncoding.Write("PUBLIC KEY", publicKey)));
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "digest"), ReleaseSigningKey.SignedDigest($"syncthing-linux-amd64-{Version}.tar.gz", binary));
            await File.WriteAllBytesAsync(Path.Combine(dir.FullName, "sig.der"), ReleaseSigningKey.PemBlock(signature, "SIGNATURE"));

            var result = await new ProcessRunner().RunAsync(new ProcessSpec("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-in", "digest", "-sigfile", "sig.der"]) { WorkingDirectory = dir.FullName });

            Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
            Assert.Equal(64, new FileInfo(Path.Combine(dir.FullName, "digest")).Length);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_checksum_list_names_the_archive_with_its_sha256_and_wrong_checksum_breaks_only_that()
    {
        var archive = await http.GetByteArrayAsync(mirror.ArchiveUri(Version));
        var expected = $"{Convert.ToHexStringLower(SHA256.HashData(archive))}  syncthing-linux-amd64-{Version}.tar.gz";

        Assert.Contains(expected, (await http.GetStringAsync(mirror.ChecksumsUri(Version))).Split('\n'));
        mirror.SetFault(LocalReleaseMirror.ChecksumsPath(Version), ReleaseFault.WrongChecksum);
        var wrong = await http.GetStringAsync(mirror.ChecksumsUri(Version));
        Assert.DoesNotContain(expected, wrong.Split('\n'));
        Assert.Contains($"  syncthing-linux-amd64-{Version}.tar.gz", wrong, StringComparison.Ordinal);
        Assert.Equal(archive, await http.GetByteArrayAsync(mirror.ArchiveUri(Version)));
    }

    [Fact]
    public async Task Bad_signature_still_matches_the_checksum_list_but_fails_verification()
    {
        mirror.Fault = ReleaseFault.BadSignature;

        var archive = await http.GetByteArrayAsync(mirror.ArchiveUri(Version));
        var checksums = await http.GetStringAsync(mirror.ChecksumsUri(Version));
        var entries = Unpack(archive);
        var directory = $"syncthing-linux-amd64-{Version}";

        Assert.Contains($"{Convert.ToHexStringLower(SHA256.HashData(archive))}  {directory}.tar.gz", checksums, StringComparison.Ordinal);
        Assert.False(ReleaseSigningKey.Verify(mirror.PublicKeyPem, System.Text.Encoding.ASCII.GetString(entries[directory + "/release.sig"]), $"{directory}.tar.gz", entries[directory + "/syncthing"]));
    }

    [Fact]
    public async Task Transport_faults_can_be_limited_to_a_count_and_requests_are_counted()
    {
        var path = LocalReleaseMirror.ChecksumsPath(Version);
        mirror.SetFault(path, ReleaseFault.ServerError, times: 2);

        var statuses = new List<int>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await http.GetAsync(mirror.ChecksumsUri(Version));
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal(new[] { 500, 500, 200 }, statuses);
        Assert.Equal(3, mirror.RequestCount(path));
        using var missing = await http.GetAsync(new Uri(mirror.BaseUri, "v9.9.9/sha256sum.txt.asc"));
        Assert.Equal(404, (int)missing.StatusCode);
        mirror.Fault = ReleaseFault.NotFound;
        using var forced = await http.GetAsync(mirror.ChecksumsUri(Version));
        Assert.Equal(404, (int)forced.StatusCode);
        Assert.Equal(5, mirror.TotalRequests);
    }

    [Fact]
    public async Task A_truncated_body_fails_the_download()
    {
        mirror.SetFault(LocalReleaseMirror.ArchivePath(Version), ReleaseFault.Truncated);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetByteArrayAsync(mirror.ArchiveUri(Version)));
    }

    [Fact]
    public async Task A_stalled_body_never_completes_until_the_client_gives_up()
    {
        mirror.Fault = ReleaseFault.Stall;
        using var impatient = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.GetByteArrayAsync(mirror.ArchiveUri(Version)));
    }

    [Fact]
    public async Task Lists_releases_like_the_github_api_and_refuses_bad_version_tags()
    {
        mirror.AddRelease("v1.20.0");

        var releases = JsonNode.Parse(await http.GetStringAsync(mirror.ReleasesUri))!.AsArray();

        Assert.Equal(new[] { "v1.20.0", Version }, releases.Select(r => r!["tag_name"]!.GetValue<string>()).ToArray());
        Assert.Equal(mirror.ArchiveUri("v1.20.0").ToString(), releases[0]!["assets"]![0]!["browser_download_url"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => mirror.AddRelease("1.20.0"));
        Assert.Throws<ArgumentException>(() => mirror.AddRelease("v1.20/../x"));
    }

    private async Task<Dictionary<string, byte[]>> DownloadEntriesAsync() => Unpack(await http.GetByteArrayAsync(mirror.ArchiveUri(Version)));

    private static Dictionary<string, byte[]> Unpack(byte[] archive)
    {
        var entries = new Dictionary<string, byte[]>();
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            entries[entry.Name] = content.ToArray();
        }

        return entries;
    }
}
