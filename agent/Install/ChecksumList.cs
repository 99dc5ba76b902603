namespace Thopter.Agent.Install;

/// <summary>
/// Reads upstream's <c>sha256sum.txt.asc</c>: a PGP clear-signed <c>sha256sum</c> listing. The PGP signature is not checked
/// (the ECDSA release.sig is the authenticity check); the list guards the archive's integrity in transit.
/// </summary>
public static class ChecksumList
{
    /// <summary>The SHA-256 listed for <paramref name="fileName"/>, or null when the list has no line for it.</summary>
    public static byte[]? Find(string listText, string fileName)
    {
        foreach (var raw in listText.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 66 || !IsHex(line.AsSpan(0, 64)) || !char.IsWhiteSpace(line[64]))
            {
                continue;
            }

            // sha256sum writes "HASH  name" (text mode) or "HASH *name" (binary mode).
            var name = line[65..].TrimStart(' ').TrimStart('*');
            if (string.Equals(name, fileName, StringComparison.Ordinal))
            {
                return Convert.FromHexString(line.AsSpan(0, 64));
            }
        }

        return null;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
