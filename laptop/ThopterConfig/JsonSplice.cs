using System.Text;
using System.Text.Json;

namespace Thopter.Laptop.ThopterConfig;

/// <summary>
/// Edits one top-level key of a JSON object in its original bytes, leaving every other byte as it
/// was. The input must already be known to parse (callers validate first).
/// </summary>
internal static class JsonSplice
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static ReadOnlySpan<byte> WithoutBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith(Bom) ? bytes.AsSpan(Bom.Length) : bytes;

    /// <summary>Sets <paramref name="key"/> to the JSON text <paramref name="value"/>, adding it at the end when absent.</summary>
    public static byte[] SetTopLevel(byte[] original, string key, byte[] value)
    {
        var layout = Layout.Of(original);
        if (layout is null)
        {
            return Concat(Encoding.UTF8.GetBytes($"{{\n  {Quoted(key)}: "), value, "\n}\n"u8.ToArray());
        }

        var index = layout.Properties.FindIndex(p => p.Name == key);
        if (index >= 0)
        {
            var p = layout.Properties[index];
            return Concat(original[..p.ValueStart], value, original[p.ValueEnd..]);
        }

        var member = Concat(Encoding.UTF8.GetBytes($"\n  {Quoted(key)}: "), value);
        if (layout.Properties.Count == 0)
        {
            return Concat(original[..(layout.OpenBrace + 1)], member, "\n"u8.ToArray(), original[layout.CloseBrace..]);
        }

        var last = layout.Properties[^1].ValueEnd;
        return Concat(original[..last], ","u8.ToArray(), member, original[last..]);
    }

    /// <summary>Removes <paramref name="key"/> with its separating comma.</summary>
    public static byte[] RemoveTopLevel(byte[] original, string key)
    {
        var layout = Layout.Of(original);
        var index = layout?.Properties.FindIndex(p => p.Name == key) ?? -1;
        if (layout is null || index < 0)
        {
            return original;
        }

        var props = layout.Properties;
        var (from, to) = index > 0
            ? (props[index - 1].ValueEnd, props[index].ValueEnd)
            : props.Count > 1
                ? (props[0].NameStart, props[1].NameStart)
                : (layout.OpenBrace + 1, layout.CloseBrace);
        return Concat(original[..from], original[to..]);
    }

    private static string Quoted(string key) => JsonSerializer.Serialize(key, ThopterJsonContext.Default.String);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(part => part)];

    private sealed record Property(string Name, int NameStart, int ValueStart, int ValueEnd);

    private sealed record Layout(int OpenBrace, int CloseBrace, List<Property> Properties)
    {
        public static Layout? Of(byte[] bytes)
        {
            var offset = bytes.AsSpan().StartsWith(Bom) ? Bom.Length : 0;
            if (bytes.AsSpan(offset).Trim(" \t\r\n"u8).IsEmpty)
            {
                return null;
            }

            var reader = new Utf8JsonReader(bytes.AsSpan(offset));
            if (!reader.Read())
            {
                return null;
            }

            var open = offset + (int)reader.TokenStartIndex;
            var properties = new List<Property>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                var nameStart = offset + (int)reader.TokenStartIndex;
                reader.Read();
                var valueStart = offset + (int)reader.TokenStartIndex;
                reader.Skip();
                properties.Add(new Property(name, nameStart, valueStart, offset + (int)reader.BytesConsumed));
            }

            return new Layout(open, offset + (int)reader.TokenStartIndex, properties);
        }
    }
}
