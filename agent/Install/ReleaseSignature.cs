using System.Security.Cryptography;
using System.Text;

namespace Thopter.Agent.Install;

/// <summary>
/// SyncThing's release signature, checked the way its upgrader does (lib/upgrade, lib/signature):
/// the signed bytes are the archive's file name, a newline, then the syncthing binary from inside the archive;
/// their SHA-256, written as 64 lowercase hex ASCII characters, is the "hash" handed to ECDSA (P-521);
/// the signature is an ASN.1 DER SEQUENCE { r INTEGER, s INTEGER } in a PEM block (label "SIGNATURE", not checked).
/// </summary>
public static class ReleaseSignature
{
    /// <summary>Starts the digest of the signed bytes; feed it the binary, then pass it to <see cref="Verify"/>.</summary>
    public static IncrementalHash BeginSignedBytes(string archiveName)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(archiveName + "\n"));
        return hash;
    }

    /// <summary>What ECDSA signs: the lowercase hex text of the SHA-256 of the signed bytes.</summary>
    public static byte[] MessageFor(ReadOnlySpan<byte> sha256OfSignedBytes) =>
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(sha256OfSignedBytes));

    public static bool Verify(ECDsa publicKey, string signaturePem, ReadOnlySpan<byte> sha256OfSignedBytes)
    {
        if (!PemEncoding.TryFind(signaturePem, out var fields))
        {
            return false;
        }

        byte[] der;
        try
        {
            der = Convert.FromBase64String(signaturePem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            return false;
        }

        return publicKey.VerifyHash(MessageFor(sha256OfSignedBytes), der, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Loads a PKIX public key from PEM (upstream labels it "EC PUBLIC KEY"; any label is accepted, like upstream). Must be P-521.</summary>
    public static ECDsa LoadPublicKey(string pem, string source)
    {
        var fix = $"pass --signing-key with the mirror's ECDSA P-521 public key in PEM (SubjectPublicKeyInfo)";
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new AgentException(ExitCodes.SigningKeyInvalid, $"{source} holds no PEM block", fix);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(pem[fields.Base64Data]), out _);
        }
        catch (Exception error) when (error is CryptographicException or FormatException)
        {
            key.Dispose();
            throw new AgentException(ExitCodes.SigningKeyInvalid, $"{source} is not an ECDSA public key: {error.Message}", fix);
        }

        if (key.KeySize != 521)
        {
            key.Dispose();
            throw new AgentException(ExitCodes.SigningKeyInvalid, $"{source} is a P-{key.KeySize} key, SyncThing signs with P-521", fix);
        }

        return key;
    }
}
