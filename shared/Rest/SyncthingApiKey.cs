namespace Thopter.Shared.Rest;

/// <summary>
/// The REST API key, wrapped so it cannot be printed by accident: ToString, string interpolation
/// and debugger views all show a mask. Only the HTTP header reads <see cref="Reveal"/>.
/// </summary>
public sealed class SyncthingApiKey
{
    private const string Mask = "(api key hidden)";
    private readonly string value;

    public SyncthingApiKey(string value)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("the SyncThing API key is empty", nameof(value));
        }

        if (trimmed.Any(char.IsControl) || trimmed.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("the SyncThing API key contains whitespace or control characters", nameof(value));
        }

        this.value = trimmed;
    }

    public string Reveal() => value;

    /// <summary>The key's SHA-256 in hex: tells two keys apart without holding or showing either.</summary>
    public string Fingerprint() => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));

    /// <summary>Replaces every occurrence of the key in <paramref name="text"/> with a mask.</summary>
    public string Redact(string text) => text.Replace(value, Mask, StringComparison.Ordinal);

    public override string ToString() => Mask;
}
