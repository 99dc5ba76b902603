using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Thopter.Shared.Identity;

/// <summary>
/// SyncThing 2.x identities: an Ed25519 certificate with its key as a PKCS#8 "PRIVATE KEY" block (RFC 8410).
/// .NET reads neither key nor algorithm, so the key is parsed here and proven to belong to the certificate
/// by deriving its public key, which is what Go's tls.X509KeyPair checks when SyncThing loads the pair.
/// </summary>
internal static class Ed25519KeyPair
{
    public const string AlgorithmOid = "1.3.101.112";

    private const int KeyLength = 32;

    /// <summary>Null when they match; otherwise why not (for <see cref="IdentityCorruptException"/>).</summary>
    public static string? Mismatch(X509Certificate2 certificate, string keyPem)
    {
        var certificateKey = certificate.PublicKey.EncodedKeyValue.RawData;
        if (certificateKey.Length != KeyLength)
        {
            return $"the certificate's Ed25519 public key is {certificateKey.Length} bytes, not {KeyLength}";
        }

        if (!TryReadSeed(keyPem, out var seed, out var problem))
        {
            return problem;
        }

        var derived = new byte[KeyLength];
        Ed25519.GeneratePublicKey(seed, 0, derived, 0);
        CryptographicOperations.ZeroMemory(seed);
        return CryptographicOperations.FixedTimeEquals(derived, certificateKey)
            ? null
            : "the Ed25519 private key does not belong to the certificate";
    }

    /// <summary>OneAsymmetricKey { version, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING seed } ... }.</summary>
    private static bool TryReadSeed(string keyPem, out byte[] seed, out string? problem)
    {
        seed = [];
        if (!PemEncoding.TryFind(keyPem, out var fields) || keyPem[fields.Label] is not "PRIVATE KEY")
        {
            problem = "no PEM PRIVATE KEY block (an Ed25519 certificate needs its PKCS#8 key)";
            return false;
        }

        try
        {
            var info = new AsnReader(Convert.FromBase64String(keyPem[fields.Base64Data]), AsnEncodingRules.DER).ReadSequence();
            info.ReadInteger();
            var algorithm = info.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            if (oid != AlgorithmOid)
            {
                problem = $"the key is for algorithm {oid}, the certificate for Ed25519 ({AlgorithmOid})";
                return false;
            }

            var inner = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER);
            seed = inner.ReadOctetString();
            inner.ThrowIfNotEmpty();
        }
        catch (Exception error) when (error is AsnContentException or FormatException)
        {
            problem = $"the PKCS#8 private key is malformed ({error.Message})";
            return false;
        }

        problem = seed.Length == KeyLength ? null : $"the Ed25519 private key is {seed.Length} bytes, not {KeyLength}";
        return problem is null;
    }
}
