using Thopter.Shared.Devices;
using Xunit;

namespace Thopter.Tests.Shared.Devices;

public sealed class DeviceIdTests
{
    // A real ID in SyncThing's canonical form (from SyncThing's own format examples).
    private const string Canonical = "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2";

    [Theory]
    [InlineData(Canonical)]
    [InlineData("p56ioi7-mzjnu2y-iqgdrey-dm2mgti-mgl3bxn-pq6w5bm-tbbz4tj-xzwicq2")]
    [InlineData("P56IOI7MZJNU2YIQGDREYDM2MGTIMGL3BXNPQ6W5BMTBBZ4TJXZWICQ2")]
    [InlineData("P56IOI7 MZJNU2Y IQGDREY DM2MGTI MGL3BXN PQ6W5BM TBBZ4TJ XZWICQ2")]
    [InlineData("P56IOI-7MZJNU2Y-IQGDR-EYDM2M-GTI-MGL3-BXNPQ6-W5BM-TBB-Z4TJXZ-WICQ2")]
    [InlineData("P561017MZJNU2YIQGDREYDM2MGTIMGL3BXNPQ6W5BMT88Z4TJXZWICQ2")] // 0/1/8 typed for O/I/B
    [InlineData("p56ioi7mzjnu2iqgdreydm2mgtmgl3bxnpq6w5btbbz4tjxzwicq")] // old form, no check characters
    [InlineData("P56IOI7 MZJNU2I QGDREYD M2MGTMGL 3BXNPQ6W 5BTB BZ4T JXZWICQ")]
    [InlineData("==P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2=")]
    public void Every_spelling_SyncThing_accepts_parses_to_the_canonical_id(string text)
    {
        var id = DeviceId.Parse(text);

        Assert.Equal(Canonical, id.ToString());
        Assert.Equal("P56IOI7", id.Short);
        Assert.True(DeviceId.TryParse(text, out var again, out var error));
        Assert.Null(error);
        Assert.Equal(id, again);
    }

    [Fact]
    public void Bytes_round_trip_and_check_characters_are_recomputed()
    {
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();
        var id = DeviceId.FromBytes(bytes);

        Assert.Equal(bytes, id.ToBytes());
        Assert.Equal(id, DeviceId.Parse(id.ToString()));
        Assert.Equal(id, DeviceId.Parse(id.ToString().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()));
        Assert.Matches("^([A-Z2-7]{7}-){7}[A-Z2-7]{7}$", id.ToString());
    }

    [Fact]
    public void Certificate_id_is_sha256_of_der()
    {
        var der = "not really a certificate"u8.ToArray();
        var expected = System.Security.Cryptography.SHA256.HashData(der);

        Assert.Equal(expected, DeviceId.FromCertificateDer(der).ToBytes());
    }

    [Fact]
    public void Equality_follows_the_bytes()
    {
        var a = DeviceId.Parse(Canonical);
        var b = DeviceId.Parse(Canonical.ToLowerInvariant());
        var other = DeviceId.FromBytes(new byte[32]);

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != other);
        Assert.False(a.Equals((object)other));
    }

    [Theory]
    // Each of the four check characters, wrong in turn ('2' -> '3' style changes).
    [InlineData("P56IOI7-MZJNU2Z-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", "check character 1 of 4 is wrong (last character of group 2: found 'Z', expected 'Y')")]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTJ-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", "check character 2 of 4 is wrong (last character of group 4: found 'J', expected 'I')")]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BA-TBBZ4TJ-XZWICQ2", "check character 3 of 4 is wrong (last character of group 6: found 'A', expected 'M')")]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ3", "check character 4 of 4 is wrong (last character of group 8: found '3', expected '2')")]
    // A mistyped data character makes its group's check character fail.
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TK-XZWICQ2", "check character 4 of 4 is wrong")]
    public void Wrong_check_character_names_the_failing_group(string text, string expected)
    {
        var error = Assert.Throws<DeviceIdFormatException>(() => DeviceId.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ", 55)]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ22", 57)]
    [InlineData("P56IOI7MZJNU2IQGDREYDM2MGTMGL3BXNPQ6W5BTBBZ4TJXZWICQCCCC", 56 + 0)]
    [InlineData("a", 1)]
    public void Wrong_length_says_how_many_characters_were_found(string text, int found)
    {
        var error = Assert.Throws<DeviceIdFormatException>(() => DeviceId.Parse(text));
        if (found == 56)
        {
            // 56 characters is a valid length, so it is the check characters that fail.
            Assert.Contains("check character", error.Message, StringComparison.Ordinal);
            return;
        }

        Assert.Contains($"wrong length: found {found} characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 56 (or 52", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWIC92", "invalid character '9' at position 62")]
    [InlineData("P56IOI7_MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", "invalid character '_' at position 8")]
    [InlineData("P56IOI7-MZJNU2Y-IQGDR=EY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", "invalid character '=' at position 22")]
    [InlineData("P56IOI7\tMZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", "invalid character U+0009 at position 8")]
    [InlineData("Ö56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", "invalid character 'Ö' at position 1")]
    public void Bad_character_is_named_with_its_position(string text, string expected)
    {
        Assert.False(DeviceId.TryParse(text, out var id, out var error));
        Assert.Equal(default, id);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(error, Assert.Throws<DeviceIdFormatException>(() => DeviceId.Parse(text)).Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("---")]
    public void Empty_input_is_rejected(string? text)
    {
        Assert.False(DeviceId.TryParse(text, out _, out var error));
        Assert.NotNull(error);
        Assert.IsAssignableFrom<FormatException>(Assert.Throws<DeviceIdFormatException>(() => DeviceId.Parse(text!)));
    }
}
