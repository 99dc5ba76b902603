using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Thopter.Agent.Install;

namespace Thopter.Tests.Agent.Install;

/// <summary>
/// A release built in the test, laid out like upstream's: syncthing-linux-ARCH-VERSION/{syncthing,release.sig,README.txt},
/// signed the way SyncThing's release tooling signs with a P-521 key generated per test. The "syncthing" inside is a
/// small shell script that answers --version like the real binary, so the installer runs a real process.
/// </summary>
internal sealed class TestRelease : IDisposable
{
    public TestRelease(string version = "v1.19.2", string arch = "amd64", string? versionOutput = null, int versionExitCode = 0)
    {
        Version = version;
        Release = new SyncthingRelease(version, arch);
        Binary = Encoding.UTF8.GetBytes(
            $"#!/bin/sh\necho '{versionOutput ?? $"syncthing {version} \"Test Release\" (go1.19 linux-{arch}) test@thopter"}'\nexit {versionExitCode}\n");
        Signature = Sign(Key, Release.ArchiveName, Binary);
        Archive = BuildArchive(
            ($"{Folder}/README.txt", Encoding.UTF8.GetBytes("readme")),
            ($"{Folder}/syncthing", Binary),
            ($"{Folder}/release.sig", Encoding.ASCII.GetBytes(Signature)));
    }

    public string Version { get; }

    public SyncthingRelease Release { get; }

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP521);

    public string PublicKeyPem => PemEncoding.WriteString("EC PUBLIC KEY", Key.ExportSubjectPublicKeyInfo());

    public byte[] Binary { get; }

    public string Signature { get; }

    public byte[] Archive { get; set; }

    public string Folder => Release.ArchiveName[..^".tar.gz".Length];

    public string ArchivePath => $"/{Version}/{Release.ArchiveName}";

    public string ChecksumPath => $"/{Version}/sha256sum.txt.asc";

    public byte[] ChecksumList => ChecksumListFor(Archive);

    /// <summary>sha256sum output inside a PGP clear-signed wrapper, like upstream's sha256sum.txt.asc.</summary>
    public byte[] ChecksumListFor(byte[] archive) => Encoding.UTF8.GetBytes(
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" +
        $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("other")))}  syncthing-linux-386-{Version}.tar.gz\n" +
        $"{Convert.ToHexStringLower(SHA256.HashData(archive))}  {Release.ArchiveName}\n" +
        "-----BEGIN PGP SIGNATURE-----\n\nnot checked\n-----END PGP SIGNATURE-----\n");

    public FakeMirrorHandler ServeOn(FakeMirrorHandler mirror) => mirror
        .Serve(ChecksumPath, FakeMirrorHandler.Ok(ChecksumList))
        .Serve(ArchivePath, FakeMirrorHandler.Ok(Archive));

    /// <summary>Signs like stsigtool: ECDSA over the hex text of SHA-256(archive name, newline, binary), DER r/s in a SIGNATURE PEM.</summary>
    public static string Sign(ECDsa key, string archiveName, byte[] binary)
    {
        var digest = SHA256.HashData([.. Encoding.UTF8.GetBytes(archiveName + "\n"), .. binary]);
        var message = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest));
        return PemEncoding.WriteString("SIGNATURE", key.SignHash(message, DSASignatureFormat.Rfc3279DerSequence));
    }

    public static byte[] BuildArchive(params (string Name, byte[] Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(content),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                };
                tar.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    public void Dispose() => Key.Dispose();
}
