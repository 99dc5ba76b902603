using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Thopter.Shared.Devices;
using Thopter.Shared.IO;

namespace Thopter.Shared.Identity;

/// <summary>
/// A SyncThing device identity: cert.pem and key.pem in a SyncThing home directory. Generated in
/// the same shape SyncThing 1.19 generates itself (ECDSA P-384 key as an "EC PRIVATE KEY" block,
/// self-signed ECDSA-SHA256 certificate for CN=syncthing valid 20 years from today's UTC midnight),
/// so SyncThing and every peer treat it exactly like one of their own. Loads SyncThing 2.x's Ed25519 identities
/// (PKCS#8 "PRIVATE KEY") as well: every SyncThing since 1.19 runs either kind, so an existing one is always kept.
/// </summary>
public sealed class SyncthingIdentity
{
    public const string CertificateFileName = "cert.pem";
    public const string KeyFileName = "key.pem";

    private const string CommonName = "syncthing";
    private const int LifetimeDays = 20 * 365;

    private SyncthingIdentity(DeviceId deviceId, string certificatePath, string keyPath)
    {
        DeviceId = deviceId;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    public DeviceId DeviceId { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public static bool Exists(string homeDir) =>
        File.Exists(Path.Combine(homeDir, CertificateFileName)) && File.Exists(Path.Combine(homeDir, KeyFileName));

    /// <summary>
    /// Creates a new identity in <paramref name="homeDir"/>. Each file appears whole or not at all,
    /// key.pem with mode 0600 from its first byte. Never replaces an existing file.
    /// </summary>
    /// <exception cref="IdentityExistsException">cert.pem or key.pem is already there.</exception>
    public static SyncthingIdentity Generate(string homeDir, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var certPath = Path.GetFullPath(Path.Combine(homeDir, CertificateFileName));
        var keyPath = Path.GetFullPath(Path.Combine(homeDir, KeyFileName));
        foreach (var path in new[] { certPath, keyPath })
        {
            if (File.Exists(path))
            {
                throw new IdentityExistsException(path);
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var der = CreateCertificateDer(key, time.GetUtcNow());

        Directory.CreateDirectory(Path.GetDirectoryName(keyPath)!);
        // Key first: a cert.pem without its key would make Exists() lie on a crash in between.
        CreateOnce(keyPath, Encoding.ASCII.GetBytes(key.ExportECPrivateKeyPem() + "\n"), AtomicFile.PrivateMode);
        CreateOnce(certPath, Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", der) + "\n"), AtomicFile.PublicMode);
        return new SyncthingIdentity(DeviceId.FromCertificateDer(der), certPath, keyPath);
    }

    /// <summary>Reads the identity and checks that the key belongs to the certificate.</summary>
    /// <exception cref="IdentityMissingException">a file is missing.</exception>
    /// <exception cref="IdentityCorruptException">a file cannot be parsed, or key and certificate do not match.</exception>
    public static SyncthingIdentity Load(string homeDir)
    {
        var certPath = Path.GetFullPath(Path.Combine(homeDir, CertificateFileName));
        var keyPath = Path.GetFullPath(Path.Combine(homeDir, KeyFileName));
        var certPem = ReadRequired(certPath);
        var keyPem = ReadRequired(keyPath);

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certPem);
        }
        catch (CryptographicException error)
        {
            throw new IdentityCorruptException(certPath, $"no readable PEM CERTIFICATE block ({error.Message})", error);
        }

        using (certificate)
        {
            CheckKeyMatches(certificate, certPem, certPath, keyPem, keyPath);
            return new SyncthingIdentity(DeviceId.FromCertificateDer(certificate.RawData), certPath, keyPath);
        }
    }

    /// <summary>ECDSA and RSA pairs (SyncThing 1.x) through .NET; Ed25519 (2.x) on our own, since .NET does not know it.</summary>
    private static void CheckKeyMatches(X509Certificate2 certificate, string certPem, string certPath, string keyPem, string keyPath)
    {
        if (certificate.PublicKey.Oid.Value == Ed25519KeyPair.AlgorithmOid)
        {
            var mismatch = Ed25519KeyPair.Mismatch(certificate, keyPem);
            if (mismatch is not null)
            {
                throw new IdentityCorruptException(keyPath, $"no private key matching {certPath} ({mismatch})");
            }

            return;
        }

        try
        {
            using var withKey = X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (CryptographicException error)
        {
            throw new IdentityCorruptException(keyPath, $"no private key matching {certPath} ({error.Message})", error);
        }
    }

    private static string ReadRequired(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IdentityMissingException(path);
        }
    }

    private static byte[] CreateCertificateDer(ECDsa key, DateTimeOffset now)
    {
        var subject = new X500DistinguishedNameBuilder();
        // SyncThing's (Go's) order and string type: O, OU, CN as PrintableString.
        subject.Add("2.5.4.10", "Syncthing", UniversalTagNumber.PrintableString);
        subject.Add("2.5.4.11", "Automatically Generated", UniversalTagNumber.PrintableString);
        subject.Add("2.5.4.3", CommonName, UniversalTagNumber.PrintableString);
        var name = subject.Build();

        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(CommonName);
        request.CertificateExtensions.Add(san.Build());

        var notBefore = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var notAfter = notBefore.AddDays(LifetimeDays);
        using var certificate = request.Create(name, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, RandomSerial());
        return certificate.RawData;
    }

    /// <summary>A random positive 64-bit serial in minimal DER integer bytes, like SyncThing's rand.Uint64().</summary>
    private static byte[] RandomSerial()
    {
        Span<byte> random = stackalloc byte[8];
        do
        {
            RandomNumberGenerator.Fill(random);
        }
        while (random.IndexOfAnyExcept((byte)0) < 0);

        var trimmed = random[random.IndexOfAnyExcept((byte)0)..];
        if ((trimmed[0] & 0x80) == 0)
        {
            return trimmed.ToArray();
        }

        var positive = new byte[trimmed.Length + 1];
        trimmed.CopyTo(positive.AsSpan(1));
        return positive;
    }

    /// <summary>Creates a key file only if its name is still free, so a concurrent writer is never overwritten.</summary>
    private static void CreateOnce(string path, byte[] content, UnixFileMode mode)
    {
        try
        {
            AtomicFile.CreateNew(path, content, mode);
        }
        catch (FileAlreadyExistsException)
        {
            throw new IdentityExistsException(path);
        }
    }
}
