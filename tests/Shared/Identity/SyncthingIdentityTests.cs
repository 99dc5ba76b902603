using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Thopter.Shared.Identity;
using Xunit;

namespace Thopter.Tests.Shared.Identity;

public sealed class SyncthingIdentityTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("thopter-identity-");

    public void Dispose() => _home.Delete(recursive: true);

    [Fact]
    public void Generated_identity_has_syncthings_shape()
    {
        var now = new DateTimeOffset(2026, 3, 4, 17, 30, 5, TimeSpan.Zero);
        var identity = SyncthingIdentity.Generate(_home.FullName, new FixedTime(now));

        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(identity.CertificatePath));
        Assert.Equal("O=Syncthing, OU=Automatically Generated, CN=syncthing", cert.Subject);
        Assert.Equal(cert.Subject, cert.Issuer);
        Assert.Equal(new DateTime(2026, 3, 4, 0, 0, 0, DateTimeKind.Utc), cert.NotBefore.ToUniversalTime());
        Assert.Equal(new DateTime(2026, 3, 4, 0, 0, 0, DateTimeKind.Utc).AddDays(7300), cert.NotAfter.ToUniversalTime());
        Assert.Equal("1.2.840.10045.4.3.2", cert.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        using (var publicKey = cert.GetECDsaPublicKey())
        {
            Assert.NotNull(publicKey);
            Assert.Equal(384, publicKey.KeySize);
        }

        var usage = Assert.Single(cert.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, usage.KeyUsages);
        var extended = Assert.Single(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], extended.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var basic = Assert.Single(cert.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(basic.Critical);
        Assert.False(basic.CertificateAuthority);
        var san = Assert.Single(cert.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["syncthing"], san.EnumerateDnsNames());
        Assert.InRange(cert.SerialNumberBytes.Length, 1, 9);
        Assert.True((cert.SerialNumberBytes.Span[0] & 0x80) == 0, "serial must be a positive integer");

        var keyPem = File.ReadAllText(identity.KeyPath);
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----\n", keyPem, StringComparison.Ordinal);
        Assert.EndsWith("-----END EC PRIVATE KEY-----\n", keyPem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\n", File.ReadAllText(identity.CertificatePath), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(identity.KeyPath));
        Assert.Equal(identity.DeviceId, Thopter.Shared.Devices.DeviceId.FromCertificateDer(cert.RawData));
        Assert.Equal(["cert.pem", "key.pem"], _home.GetFiles().Select(f => f.Name).Order());
    }

    [Fact]
    public void Load_returns_the_generated_identity()
    {
        var generated = SyncthingIdentity.Generate(_home.FullName);

        var loaded = SyncthingIdentity.Load(_home.FullName);

        Assert.True(SyncthingIdentity.Exists(_home.FullName));
        Assert.Equal(generated.DeviceId, loaded.DeviceId);
        Assert.Equal(generated.CertificatePath, loaded.CertificatePath);
        Assert.Equal(generated.KeyPath, loaded.KeyPath);
    }

    [Theory]
    [InlineData("cert.pem")]
    [InlineData("key.pem")]
    public void Generate_never_overwrites_either_file(string existing)
    {
        var path = Path.Combine(_home.FullName, existing);
        File.WriteAllText(path, "precious");

        var error = Assert.Throws<IdentityExistsException>(() => SyncthingIdentity.Generate(_home.FullName));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(path));
        Assert.Equal([existing], _home.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void Generating_twice_keeps_the_first_identity()
    {
        var first = SyncthingIdentity.Generate(_home.FullName);
        var certBefore = File.ReadAllBytes(first.CertificatePath);

        Assert.Throws<IdentityExistsException>(() => SyncthingIdentity.Generate(_home.FullName));

        Assert.Equal(certBefore, File.ReadAllBytes(first.CertificatePath));
        Assert.Equal(first.DeviceId, SyncthingIdentity.Load(_home.FullName).DeviceId);
    }

    [Fact]
    public void Load_without_files_names_the_missing_path()
    {
        Assert.False(SyncthingIdentity.Exists(_home.FullName));
        var error = Assert.Throws<IdentityMissingException>(() => SyncthingIdentity.Load(_home.FullName));
        Assert.Equal(Path.Combine(_home.FullName, "cert.pem"), error.Path);
    }

    [Fact]
    public void Load_with_garbage_certificate_is_corrupt()
    {
        SyncthingIdentity.Generate(_home.FullName);
        var cert = Path.Combine(_home.FullName, "cert.pem");
        File.WriteAllText(cert, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<IdentityCorruptException>(() => SyncthingIdentity.Load(_home.FullName));

        Assert.Equal(cert, error.Path);
        Assert.Contains(cert, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_with_a_key_of_another_identity_is_corrupt()
    {
        SyncthingIdentity.Generate(_home.FullName);
        var other = Directory.CreateTempSubdirectory("thopter-identity-other-");
        try
        {
            SyncthingIdentity.Generate(other.FullName);
            var key = Path.Combine(_home.FullName, "key.pem");
            File.Copy(Path.Combine(other.FullName, "key.pem"), key, overwrite: true);

            var error = Assert.Throws<IdentityCorruptException>(() => SyncthingIdentity.Load(_home.FullName));

            Assert.Equal(key, error.Path);
            Assert.Contains("no private key matching", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
