using Xunit;
using System.Security.Cryptography;
using System.Text;
using Thopter.Agent;
using Thopter.Agent.Install;
using Thopter.Shared.Processes;

namespace Thopter.Tests.Agent.Install;

/// <summary>
/// The signature format checked against an independent implementation (OpenSSL's pkeyutl, which takes the 64 hex bytes
/// as the digest exactly as Go's ecdsa.Verify does), in both directions.
/// </summary>
public sealed class ReleaseSignatureTests : IDisposable
{
    private const string ArchiveName = "syncthing-linux-amd64-v1.19.2.tar.gz";
    private static readonly byte[] Binary = Encoding.UTF8.GetBytes("pretend this is a syncthing binary");
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("thopter-sig-");
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP521);

    public void Dispose()
    {
        key.Dispose();
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task OpenSSL_accepts_what_the_agent_would_accept()
    {
        var signature = TestRelease.Sign(key, ArchiveName, Binary);
        using var publicKey = ReleaseSignature.LoadPublicKey(PemEncoding.WriteString("EC PUBLIC KEY", key.ExportSubjectPublicKeyInfo()), "test");
        Assert.True(ReleaseSignature.Verify(publicKey, signature, SignedDigest()));

        File.WriteAllBytes(Path(("sig.der")), Convert.FromBase64String(string.Concat(signature.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))));
        var result = await OpenSsl("pkeyutl", "-verify", "-pubin", "-inkey", WritePublicKey(), "-in", WriteMessage(), "-sigfile", Path("sig.der"));
        Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task The_agent_accepts_what_OpenSSL_signs()
    {
        File.WriteAllText(Path("key.pem"), key.ExportECPrivateKeyPem());
        var result = await OpenSsl("pkeyutl", "-sign", "-inkey", Path("key.pem"), "-in", WriteMessage(), "-out", Path("sig.der"));
        Assert.True(result.Succeeded, result.StandardError);
        var pem = PemEncoding.WriteString("SIGNATURE", File.ReadAllBytes(Path("sig.der")));

        using var publicKey = ReleaseSignature.LoadPublicKey(File.ReadAllText(WritePublicKey()), "test");
        Assert.True(ReleaseSignature.Verify(publicKey, pem, SignedDigest()));
        Assert.False(ReleaseSignature.Verify(publicKey, pem, SHA256.HashData(Encoding.UTF8.GetBytes("other bytes"))));
    }

    [Fact]
    public void The_built_in_key_is_syncthings_p521_release_key()
    {
        using var builtIn = ReleaseSignature.LoadPublicKey(SigningKeys.SyncthingRelease, "built-in");
        Assert.Equal(521, builtIn.KeySize);
    }

    [Fact]
    public void Garbage_signatures_do_not_verify()
    {
        using var publicKey = ReleaseSignature.LoadPublicKey(File.ReadAllText(WritePublicKey()), "test");
        Assert.False(ReleaseSignature.Verify(publicKey, "no pem here", SignedDigest()));
        Assert.False(ReleaseSignature.Verify(publicKey, "-----BEGIN SIGNATURE-----\nAAAA\n-----END SIGNATURE-----", SignedDigest()));
    }

    [Fact]
    public void A_key_file_without_pem_is_signing_key_invalid()
    {
        var error = Assert.Throws<AgentException>(() => ReleaseSignature.LoadPublicKey("hello", "test key"));
        Assert.Equal(ExitCodes.SigningKeyInvalid, error.Code);
    }

    private static byte[] SignedDigest()
    {
        using var hash = ReleaseSignature.BeginSignedBytes(ArchiveName);
        hash.AppendData(Binary);
        return hash.GetHashAndReset();
    }

    private string WriteMessage()
    {
        File.WriteAllBytes(Path("message"), ReleaseSignature.MessageFor(SignedDigest()));
        return Path("message");
    }

    private string WritePublicKey()
    {
        File.WriteAllText(Path("pub.pem"), key.ExportSubjectPublicKeyInfoPem());
        return Path("pub.pem");
    }

    private string Path(string name) => System.IO.Path.Combine(dir.FullName, name);

    private static Task<ProcessResult> OpenSsl(params string[] args) => new ProcessRunner().RunAsync(new ProcessSpec("openssl", args));
}
