using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Thopter.Shared.Devices;
using Thopter.Shared.Processes;

namespace Thopter.Tests.Shared.Identity;

/// <summary>
/// A SyncThing home holding an identity shaped like SyncThing 2.x makes one (lib/tlsutil generateCertificate at v2.1.3,
/// non-compatible mode): an Ed25519 key as a PKCS#8 "PRIVATE KEY" block (0600) and a self-signed PureEd25519 certificate
/// for O=Syncthing, OU=Automatically Generated, CN=syncthing with the DNS name syncthing, key usage digital signature +
/// key encipherment, server and client auth, no CA, 20 years. Made by openssl, which no code of ours is involved in, since
/// no 2.x binary can be had here to generate one.
/// </summary>
internal static class SyncthingV2Home
{
    /// <summary>A 2.x-shaped pair made once by openssl, with the ID both SyncThing v1.19.2 and v1.29.5 print for it.</summary>
    public const string FixedCertificatePem = """
        -----BEGIN CERTIFICATE-----
        MIIB7TCCAZ+gAwIBAgIUd2LEY7fRvShyZC7LBh4N5V3U6cQwBQYDK2VwMEoxEjAQ
        BgNVBAoMCVN5bmN0aGluZzEgMB4GA1UECwwXQXV0b21hdGljYWxseSBHZW5lcmF0
        ZWQxEjAQBgNVBAMMCXN5bmN0aGluZzAeFw0yNjExMzAwNjUwMjJaFw00NjExMjUw
        NjUwMjJaMEoxEjAQBgNVBAoMCVN5bmN0aGluZzEgMB4GA1UECwwXQXV0b21hdGlj
        YWxseSBHZW5lcmF0ZWQxEjAQBgNVBAMMCXN5bmN0aGluZzAqMAUGAytlcAMhACJY
        HHPc7U0w4DzAW0eaVltW3bh3vEtOmpErDyvwaSrso4GWMIGTMB0GA1UdDgQWBBR0
        oyIlvHEkvkqW6/KYCHN56oYRsTAfBgNVHSMEGDAWgBR0oyIlvHEkvkqW6/KYCHN5
        6oYRsTAUBgNVHREEDTALgglzeW5jdGhpbmcwDgYDVR0PAQH/BAQDAgWgMB0GA1Ud
        JQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjAMBgNVHRMBAf8EAjAAMAUGAytlcANB
        ANN2ypEs8yvii026Flyn7ALwSSnNb3G/jU5W/Wu6RmCt/ofur270RKvStSfP0tJl
        9NKD2KSwPRWIyywizumDiQ8=
        -----END CERTIFICATE-----

        """;

    public const string FixedKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIHY9VM7JZvq/P4RF19Ho5Rg9E79DtFrsznLsD48Tdu6p
        -----END PRIVATE KEY-----

        """;

    public const string FixedDeviceId = "2QZVN7V-GO6ZUUT-4ECCC4D-BA74JWT-FHBF6HY-3VH2HZD-DS7SVF6-NGRXIAN";

    public static void WriteFixed(string home)
    {
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "cert.pem"), FixedCertificatePem);
        File.WriteAllText(Path.Combine(home, "key.pem"), FixedKeyPem);
        File.SetUnixFileMode(Path.Combine(home, "key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Generates a fresh pair in <paramref name="home"/>; returns the ID SyncThing derives (SHA-256 of the certificate's DER).</summary>
    public static async Task<DeviceId> GenerateAsync(string home)
    {
        Directory.CreateDirectory(home);
        var key = Path.Combine(home, "key.pem");
        var cert = Path.Combine(home, "cert.pem");
        await OpenSsl("genpkey", "-algorithm", "ed25519", "-out", key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await OpenSsl(
            "req", "-x509", "-key", key, "-out", cert, "-days", "7300",
            "-subj", "/O=Syncthing/OU=Automatically Generated/CN=syncthing",
            "-addext", "subjectAltName=DNS:syncthing",
            "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
            "-addext", "extendedKeyUsage=serverAuth,clientAuth",
            "-addext", "basicConstraints=critical,CA:FALSE");
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(cert));
        return DeviceId.FromBytes(SHA256.HashData(certificate.RawData));
    }

    private static async Task OpenSsl(params string[] arguments)
    {
        var result = await new ProcessRunner().RunAsync(new ProcessSpec("openssl", arguments) { Timeout = TimeSpan.FromSeconds(30) });
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"openssl {arguments[0]} failed: {result.StandardError}");
        }
    }
}
