using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Thopter.Tests.Harness.ReleaseMirror;

/// <summary>
/// SyncThing's GitHub release downloads, served on 127.0.0.1 from a port the OS picks:
/// <c>/vX.Y.Z/syncthing-linux-amd64-vX.Y.Z.tar.gz</c>, <c>/vX.Y.Z/sha256sum.txt.asc</c>, and a
/// GitHub-API-like <c>/releases</c> list. Releases hold the real Debian syncthing binary of that
/// release (<see cref="SyncthingBinary"/>; other version numbers get Debian's v1.19.2) signed with a per-mirror test key (<see cref="PublicKeyPem"/>). Faults on demand, requests counted.
/// </summary>
public sealed partial class LocalReleaseMirror : IAsyncDisposable
{
    private readonly ReleaseSigningKey key = new();
    private readonly ReleaseSigningKey untrustedKey = new();
    private readonly ConcurrentDictionary<string, byte[]> binaries = new();
    private readonly ConcurrentDictionary<(string Version, bool BadSignature), Lazy<byte[]>> archives = new();
    private readonly ConcurrentDictionary<string, int> requests = new();
    private readonly ConcurrentDictionary<string, (ReleaseFault Fault, int Remaining)> pathFaults = new();
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;

    private LocalReleaseMirror()
    {
    }

    /// <summary>The binary a release gets unless <see cref="AddRelease"/> is given one (Debian's v1.19.2).</summary>
    public static string DefaultBinary => SyncthingBinary.Default.Path;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The test public key in SyncThing's format ("EC PUBLIC KEY" PEM) to hand to the agent.</summary>
    public string PublicKeyPem => key.PublicKeyPem;

    /// <summary>A fault for every path (per-path faults set with <see cref="SetFault"/> win).</summary>
    public ReleaseFault Fault { get; set; }

    public int TotalRequests => requests.Values.Sum();

    /// <summary>Starts a mirror serving <paramref name="versions"/> (default v1.19.2), each with its Debian binary.</summary>
    public static async Task<LocalReleaseMirror> StartAsync(params string[] versions)
    {
        var mirror = new LocalReleaseMirror();
        foreach (var version in versions.Length == 0 ? ["v1.19.2"] : versions)
        {
            mirror.AddRelease(version);
        }

        await mirror.ListenAsync();
        return mirror;
    }

    /// <summary>Publishes <paramref name="version"/> (vX.Y.Z) with the binary at <paramref name="binaryPath"/>, by default that release's own.</summary>
    public void AddRelease(string version, string? binaryPath = null)
    {
        if (!VersionPattern().IsMatch(version))
        {
            throw new ArgumentException($"'{version}' is not a release tag like v1.19.2");
        }

        var own = SyncthingBinary.Versions.Contains(version) ? SyncthingBinary.Of(version) : SyncthingBinary.Default;
        binaries[version] = File.ReadAllBytes(binaryPath ?? own.EnsureInstalled());
        archives.TryRemove((version, false), out _);
        archives.TryRemove((version, true), out _);
    }

    public static string ArchivePath(string version) => $"{version}/{ReleaseArchive.ArchiveName(version)}";

    public static string ChecksumsPath(string version) => $"{version}/sha256sum.txt.asc";

    public Uri ArchiveUri(string version = "v1.19.2") => new(BaseUri, ArchivePath(version));

    public Uri ChecksumsUri(string version = "v1.19.2") => new(BaseUri, ChecksumsPath(version));

    public Uri ReleasesUri => new(BaseUri, "releases");

    /// <summary>Makes <paramref name="path"/> (relative, e.g. <see cref="ArchivePath"/>) misbehave for its next <paramref name="times"/> requests.</summary>
    public void SetFault(string path, ReleaseFault fault, int times = int.MaxValue) => pathFaults[path.TrimStart('/')] = (fault, times);

    public void ClearFaults()
    {
        pathFaults.Clear();
        Fault = ReleaseFault.None;
    }

    public int RequestCount(string path) => requests.GetValueOrDefault(path.TrimStart('/'));

    /// <summary>The archive bytes as served right now (honouring <see cref="ReleaseFault.BadSignature"/>).</summary>
    public byte[] ArchiveBytes(string version = "v1.19.2") => Archive(version, ContentFault(ArchivePath(version)) == ReleaseFault.BadSignature);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        key.Dispose();
        untrustedKey.Dispose();
        stopping.Dispose();
    }

    private async Task ListenAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Run(ServeAsync);
        await app.StartAsync();
        BaseUri = new Uri(app.Urls.Single().TrimEnd('/') + "/");
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimStart('/') ?? string.Empty;
        requests.AddOrUpdate(path, 1, (_, count) => count + 1);
        var body = Content(path);
        var fault = TakeTransportFault(path);
        if (body is null || fault == ReleaseFault.NotFound)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (fault == ReleaseFault.ServerError)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        context.Response.ContentLength = body.Length;
        context.Response.ContentType = path.EndsWith(".gz", StringComparison.Ordinal) ? "application/gzip" : "text/plain";
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        switch (fault)
        {
            case ReleaseFault.Truncated:
                await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), aborted.Token);
                await context.Response.Body.FlushAsync(aborted.Token);
                context.Abort();
                return;
            case ReleaseFault.Stall:
                await context.Response.Body.WriteAsync(body.AsMemory(0, Math.Min(1024, body.Length / 2)), aborted.Token);
                await context.Response.Body.FlushAsync(aborted.Token);
                try
                {
                    await Task.Delay(Timeout.Infinite, aborted.Token);
                }
                catch (OperationCanceledException)
                {
                    context.Abort();
                }

                return;
            default:
                await context.Response.Body.WriteAsync(body, aborted.Token);
                return;
        }
    }

    private byte[]? Content(string path)
    {
        if (path == "releases")
        {
            return Encoding.UTF8.GetBytes(ReleasesJson());
        }

        var parts = path.Split('/');
        if (parts.Length != 2 || !binaries.ContainsKey(parts[0]))
        {
            return null;
        }

        var version = parts[0];
        if (parts[1] == ReleaseArchive.ArchiveName(version))
        {
            return ArchiveBytes(version);
        }

        return parts[1] == "sha256sum.txt.asc" ? Encoding.ASCII.GetBytes(Checksums(version)) : null;
    }

    // Upstream's file is PGP-clearsigned; the wrapper has the same shape, the signature block is a placeholder
    // (the release.sig inside the archive is what SyncThing's own upgrader trusts).
    private string Checksums(string version)
    {
        var archiveName = ReleaseArchive.ArchiveName(version);
        var sha = Convert.ToHexStringLower(SHA256.HashData(ArchiveBytes(version)));
        if (ContentFault(ChecksumsPath(version)) == ReleaseFault.WrongChecksum || ContentFault(ArchivePath(version)) == ReleaseFault.WrongChecksum)
        {
            sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(sha)));
        }

        var decoy = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(version)));
        return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" +
               $"{decoy}  syncthing-linux-arm64-{version}.tar.gz\n" +
               $"{sha}  {archiveName}\n" +
               $"{decoy}  syncthing-macos-amd64-{version}.zip\n" +
               "-----BEGIN PGP SIGNATURE-----\n\nthopter test mirror: placeholder, not an OpenPGP signature\n-----END PGP SIGNATURE-----\n";
    }

    private string ReleasesJson()
    {
        var releases = new JsonArray();
        foreach (var version in binaries.Keys.OrderByDescending(v => Version.Parse(v[1..].Split('-')[0])))
        {
            var name = ReleaseArchive.ArchiveName(version);
            releases.Add(new JsonObject
            {
                ["tag_name"] = version,
                ["prerelease"] = version.Contains('-', StringComparison.Ordinal),
                ["assets"] = new JsonArray(
                    new JsonObject { ["name"] = name, ["browser_download_url"] = ArchiveUri(version).ToString() },
                    new JsonObject { ["name"] = "sha256sum.txt.asc", ["browser_download_url"] = ChecksumsUri(version).ToString() }),
            });
        }

        return releases.ToJsonString();
    }

    private byte[] Archive(string version, bool badSignature) =>
        archives.GetOrAdd((version, badSignature), _ => new Lazy<byte[]>(() =>
        {
            var binary = binaries[version];
            var signer = badSignature ? untrustedKey : key;
            return ReleaseArchive.Build(version, binary, signer.Sign(ReleaseArchive.ArchiveName(version), binary));
        })).Value;

    private ReleaseFault ContentFault(string path) =>
        pathFaults.TryGetValue(path, out var entry) && entry.Remaining > 0 && entry.Fault is ReleaseFault.WrongChecksum or ReleaseFault.BadSignature
            ? entry.Fault
            : Fault;

    // Transport faults are consumed one per request, so "fail twice, then serve" is expressible.
    private ReleaseFault TakeTransportFault(string path)
    {
        while (pathFaults.TryGetValue(path, out var entry) && entry.Remaining > 0 && entry.Fault is not (ReleaseFault.WrongChecksum or ReleaseFault.BadSignature))
        {
            var remaining = entry.Remaining == int.MaxValue ? int.MaxValue : entry.Remaining - 1;
            if (pathFaults.TryUpdate(path, (entry.Fault, remaining), entry))
            {
                return entry.Fault;
            }
        }

        return Fault is ReleaseFault.WrongChecksum or ReleaseFault.BadSignature ? ReleaseFault.None : Fault;
    }

    [GeneratedRegex(@"^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$")]
    private static partial Regex VersionPattern();
}
