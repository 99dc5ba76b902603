using System.Security.Cryptography;
using System.Text;

namespace Thopter.Tests.Harness.ReleaseMirror;

/// <summary>
/// A throwaway release signing key in SyncThing's upgrade signature format (lib/signature,
/// lib/upgrade v1.19.2): ECDSA P-521; the signed message is "&lt;archive name&gt;\n" followed by the
/// binary; what ECDSA signs is the lowercase hex text of that message's SHA-256 (the 64 ASCII bytes,
/// not the 32 raw ones); the signature is ASN.1 SEQUENCE { r INTEGER, s INTEGER } in a PEM
/// "SIGNATURE" block; the public key is PKIX in a PEM "EC PUBLIC KEY" block.
/// </summary>
public sealed class ReleaseSigningKey : IDisposable
{
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP521);

    /// <summary>What the agent is given instead of SyncThing's built-in key, e.g. through a signing-key override.</summary>
    public string PublicKeyPem => new string(PemEncoding.Write("EC PUBLIC KEY", key.ExportSubjectPublicKeyInfo())) + "\n";

    /// <summary>The release.sig content for <paramref name="binary"/> shipped in the archive called <paramref name="archiveName"/>.</summary>
    public string Sign(string archiveName, ReadOnlySpan<byte> binary)
    {
        var signature = key.SignHash(SignedDigest(archiveName, binary), DSASignatureFormat.Rfc3279DerSequence);
        return new string(PemEncoding.Write("SIGNATURE", signature)) + "\n";
    }

    /// <summary>Checks a release.sig the way SyncThing's upgrade code does; for tests of the mirror itself.</summary>
    public static bool Verify(string publicKeyPem, string signaturePem, string archiveName, ReadOnlySpan<byte> binary)
    {
        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(PemBlock(publicKeyPem, "EC PUBLIC KEY"), out _);
        return publicKey.VerifyHash(SignedDigest(archiveName, binary), PemBlock(signaturePem, "SIGNATURE"), DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>The bytes ECDSA signs: hex(sha256(name + "\n" + binary)) as ASCII.</summary>
    public static byte[] SignedDigest(string archiveName, ReadOnlySpan<byte> binary)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(archiveName + "\n"));
        sha.AppendData(binary);
        return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public static byte[] PemBlock(string pem, string label)
    {
        var fields = PemEncoding.Find(pem);
        var found = pem[fields.Label];
        return found == label
            ? Convert.FromBase64String(pem[fields.Base64Data])
            : throw new FormatException($"expected a PEM '{label}' block, found '{found}'");
    }

    public void Dispose() => key.Dispose();
}
