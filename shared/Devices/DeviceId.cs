using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Thopter.Shared.Devices;

/// <summary>
/// A SyncThing device ID: the SHA-256 of the device certificate's DER bytes. Parsing accepts
/// every spelling SyncThing accepts (any case, dashes or spaces anywhere, the old 52-character
/// form without check characters, and 0/1/8 typed for O/I/B) and verifies the check characters
/// exactly as SyncThing computes them; formatting gives SyncThing's canonical form.
/// </summary>
public readonly struct DeviceId : IEquatable<DeviceId>
{
    public const int ByteLength = 32;

    // 52 base32 characters carry the 32 bytes; every 13 of them get one check character.
    private const int DataLength = 52;
    private const int CheckedLength = 56;
    private const int GroupDataLength = 13;
    private const int CheckGroups = 4;

    // Four big-endian words keep the struct small, immutable and cheap to compare.
    private readonly ulong _a, _b, _c, _d;

    private DeviceId(ReadOnlySpan<byte> bytes)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>The first seven characters, as SyncThing shows a device in short form.</summary>
    public string Short => ToString()[..7];

    public static DeviceId FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == ByteLength
            ? new DeviceId(bytes)
            : throw new ArgumentException($"a device ID is {ByteLength} bytes, got {bytes.Length}", nameof(bytes));

    /// <summary>The ID SyncThing derives from a certificate: SHA-256 over its DER encoding.</summary>
    public static DeviceId FromCertificateDer(ReadOnlySpan<byte> der)
    {
        Span<byte> hash = stackalloc byte[ByteLength];
        SHA256.HashData(der, hash);
        return new DeviceId(hash);
    }

    public static DeviceId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new DeviceIdFormatException(error!);

    public static bool TryParse(string? text, out DeviceId id, out string? error)
    {
        id = default;
        error = Normalize(text, out var normalized);
        if (error is not null)
        {
            return false;
        }

        if (normalized.Length == CheckedLength)
        {
            error = VerifyCheckCharacters(text!, normalized);
            if (error is not null)
            {
                return false;
            }

            normalized = RemoveCheckCharacters(normalized);
        }

        id = new DeviceId(Base32Decode(normalized));
        return true;
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        WriteBytes(bytes);
        return bytes;
    }

    /// <summary>Canonical form: 8 groups of 7 upper-case characters joined by dashes.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        WriteBytes(bytes);
        var data = Base32Encode(bytes);
        var withChecks = new StringBuilder(CheckedLength);
        for (var group = 0; group < CheckGroups; group++)
        {
            var part = data.AsSpan(group * GroupDataLength, GroupDataLength);
            withChecks.Append(part).Append(Luhn32.CheckCharacter(part));
        }

        var chunked = new StringBuilder(CheckedLength + 7);
        for (var i = 0; i < CheckedLength; i += 7)
        {
            if (i > 0)
            {
                chunked.Append('-');
            }

            chunked.Append(withChecks.ToString(i, 7));
        }

        return chunked.ToString();
    }

    public bool Equals(DeviceId other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is DeviceId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    public static bool operator ==(DeviceId left, DeviceId right) => left.Equals(right);

    public static bool operator !=(DeviceId left, DeviceId right) => !left.Equals(right);

    private void WriteBytes(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes, _a);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], _d);
    }

    /// <summary>
    /// Upper-cases, maps the typo-prone 0/1/8 to O/I/B, drops dashes and spaces and the '='
    /// padding SyncThing trims from both ends. Returns an error naming the first bad character
    /// (1-based position in the text as given) or the wrong length.
    /// </summary>
    private static string? Normalize(string? text, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(text))
        {
            return "device ID is empty";
        }

        var start = 0;
        var end = text.Length;
        while (start < end && text[start] == '=')
        {
            start++;
        }

        while (end > start && text[end - 1] == '=')
        {
            end--;
        }

        var builder = new StringBuilder(CheckedLength);
        for (var i = start; i < end; i++)
        {
            var c = char.ToUpperInvariant(text[i]);
            switch (c)
            {
                case '-' or ' ':
                    continue;
                case '0':
                    c = 'O';
                    break;
                case '1':
                    c = 'I';
                    break;
                case '8':
                    c = 'B';
                    break;
            }

            if (Luhn32.CodePoint(c) < 0)
            {
                return $"device ID has invalid character {Describe(text[i])} at position {i + 1}; " +
                       "only letters A-Z, digits 2-7 (0, 1, 8 are read as O, I, B), dashes and spaces are allowed";
            }

            builder.Append(c);
        }

        normalized = builder.ToString();
        if (normalized.Length is not (CheckedLength or DataLength))
        {
            return $"device ID has wrong length: found {normalized.Length} characters (not counting dashes and spaces), " +
                   $"expected {CheckedLength} (or {DataLength} in the old form without check characters)";
        }

        return null;
    }

    private static string? VerifyCheckCharacters(string text, string normalized)
    {
        for (var group = 0; group < CheckGroups; group++)
        {
            var offset = group * (GroupDataLength + 1);
            var expected = Luhn32.CheckCharacter(normalized.AsSpan(offset, GroupDataLength));
            var found = normalized[offset + GroupDataLength];
            if (found != expected)
            {
                // In the dashed form, check character k ends group 2k: point the user at those two groups.
                var last = (group + 1) * 2;
                return $"device ID check character {group + 1} of {CheckGroups} is wrong " +
                       $"(last character of group {last}: found '{found}', expected '{expected}'); " +
                       $"a character in groups {last - 1}-{last} is mistyped in \"{text}\"";
            }
        }

        return null;
    }

    private static string RemoveCheckCharacters(string normalized)
    {
        var builder = new StringBuilder(DataLength);
        for (var group = 0; group < CheckGroups; group++)
        {
            builder.Append(normalized.AsSpan(group * (GroupDataLength + 1), GroupDataLength));
        }

        return builder.ToString();
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";

    private static string Base32Encode(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(DataLength);
        var buffer = 0;
        var bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                builder.Append(Luhn32.Alphabet[(buffer >> bits) & 31]);
            }
        }

        if (bits > 0)
        {
            builder.Append(Luhn32.Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return builder.ToString();
    }

    // Like SyncThing's decoder, bits past the 256th (the low 4 bits of the last character) are ignored.
    private static byte[] Base32Decode(string data)
    {
        var bytes = new byte[ByteLength];
        var buffer = 0;
        var bits = 0;
        var index = 0;
        foreach (var c in data)
        {
            buffer = (buffer << 5) | Luhn32.CodePoint(c);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                if (index < ByteLength)
                {
                    bytes[index++] = (byte)(buffer >> bits);
                }
            }
        }

        return bytes;
    }
}
