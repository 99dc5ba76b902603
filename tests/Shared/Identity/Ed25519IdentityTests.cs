using System.Security.Cryptography;
using Thopter.Shared.Devices;
using Thopter.Shared.Identity;
using Xunit;

namespace Thopter.Tests.Shared.Identity;

/// <summary>SyncThing 2.x identities (Ed25519, PKCS#8) load with SyncThing's device ID; keys that do not belong are refused.</summary>
public sealed class Ed25519IdentityTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("thopter-ed25519-");

    public void Dispose() => _home.Delete(recursive: true);

    private string Cert => Path.Combine(_home.FullName, "cert.pem");

    private string Key => Path.Combine(_home.FullName, "key.pem");

    [Fact]
    public void The_fixed_2x_identity_loads_with_the_id_syncthing_printed_for_it()
    {
        SyncthingV2Home.WriteFixed(_home.FullName);

        var identity = SyncthingIdentity.Load(_home.FullName);

        Assert.Equal(SyncthingV2Home.FixedDeviceId, identity.DeviceId.ToString());
    }

    [Fact]
    public async Task Fresh_2x_identities_load_with_the_sha256_of_their_certificate()
    {
        for (var i = 0; i < 4; i++)
        {
            var home = Path.Combine(_home.FullName, $"v2-{i}");
            var expected = await SyncthingV2Home.GenerateAsync(home);

            Assert.Equal(expected, SyncthingIdentity.Load(home).DeviceId);
        }
    }

    [Fact]
    public async Task An_ed25519_key_of_another_identity_is_refused()
    {
        await SyncthingV2Home.GenerateAsync(_home.FullName);
        var other = Path.Combine(_home.FullName, "other");
        await SyncthingV2Home.GenerateAsync(other);
        File.Copy(Path.Combine(other, "key.pem"), Key, overwrite: true);

        var error = Assert.Throws<IdentityCorruptException>(() => SyncthingIdentity.Load(_home.FullName));

        Assert.Equal(Key, error.Path);
        Assert.Contains("does not belong to the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ecdsa_key_beside_an_ed25519_certificate_is_refused()
    {
        SyncthingV2Home.WriteFixed(_home.FullName);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        File.WriteAllText(Key, ecdsa.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<IdentityCorruptException>(() => SyncthingIdentity.Load(_home.FullName));

        Assert.Contains("1.2.840.10045.2.1", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ed25519_key_beside_an_ecdsa_certificate_is_refused()
    {
        SyncthingIdentity.Generate(_home.FullName);
        File.WriteAllText(Key, SyncthingV2Home.FixedKeyPem);

        var error = Assert.Throws<IdentityCorruptException>(() => SyncthingIdentity.Load(_home.FullName));

        Assert.Equal(Key, error.Path);
    }

    [Theory]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHY9VM7JZvq/P4RF19Ho5Rg9E79DtFrsznLsD48Tdu6p\n-----END EC PRIVATE KEY-----\n", "no PEM PRIVATE KEY block")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHY9\n-----END PRIVATE KEY-----\n", "malformed")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC0CAQAwBQYDK2VwBCEEH3Y9VM7JZvq/P4RF19Ho5Rg9E79DtFrsznLsD48Tdu4=\n-----END PRIVATE KEY-----\n", "31 bytes")]
    [InlineData("", "no PEM PRIVATE KEY block")]
    public void A_malformed_pkcs8_key_is_refused_with_the_reason(string keyPem, string reason)
    {
        SyncthingV2Home.WriteFixed(_home.FullName);
        File.WriteAllText(Key, keyPem);

        var error = Assert.Throws<IdentityCorruptException>(() => SyncthingIdentity.Load(_home.FullName));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal(SyncthingV2Home.FixedCertificatePem, File.ReadAllText(Cert));
    }

    [Fact]
    public void Device_id_is_syncthings_algorithm_over_the_certificate_der()
    {
        SyncthingV2Home.WriteFixed(_home.FullName);
        var der = Convert.FromBase64String(string.Concat(SyncthingV2Home.FixedCertificatePem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));

        Assert.Equal(DeviceId.FromBytes(SHA256.HashData(der)), SyncthingIdentity.Load(_home.FullName).DeviceId);
    }
}
