using System.Globalization;
using System.Xml.Linq;

namespace Thopter.Shared.Config;

/// <summary>Typed reads and in-place writes of config.xml values, parsed the way SyncThing (Go) parses them.</summary>
internal static class XmlValues
{
    public static string Text(XElement parent, string name, string fallback) =>
        parent.Element(name)?.Value ?? fallback;

    public static string Attribute(XElement element, string name, string fallback) =>
        element.Attribute(name)?.Value ?? fallback;

    public static bool Bool(XElement owner, string name, string? raw, bool fallback) =>
        raw is null ? fallback : raw.Trim() switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw Invalid(owner, name, raw, "true or false"),
        };

    public static int Int(XElement owner, string name, string? raw, int fallback) =>
        raw is null ? fallback
        : int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(owner, name, raw, "a whole number");

    public static double Double(XElement owner, string name, string? raw, double fallback) =>
        OptionalDouble(owner, name, raw) ?? fallback;

    public static double? OptionalDouble(XElement owner, string name, string? raw) =>
        raw is null ? null
        : double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(owner, name, raw, "a number");

    public static string Format(bool value) => value ? "true" : "false";

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sets the first child named <paramref name="name"/>, appending one when absent; other children are untouched.</summary>
    public static void SetChild(XElement parent, string name, string value)
    {
        var child = parent.Element(name);
        if (child is null)
        {
            parent.Add(new XElement(name, value));
        }
        else
        {
            child.Value = value;
        }
    }

    /// <summary>Replaces every child named <paramref name="name"/> with one per value, at the position of the first old one.</summary>
    public static void SetRepeated(XElement parent, string name, IEnumerable<XElement> replacements)
    {
        var old = parent.Elements(name).ToList();
        var first = old.Count > 0 && old[0].PreviousNode is null;
        var anchor = old.Count > 0 ? old[0].PreviousNode : parent.LastNode;
        old.ForEach(e => e.Remove());
        var items = replacements.ToArray();
        if (first || anchor is null)
        {
            parent.AddFirst(items);
        }
        else
        {
            anchor.AddAfterSelf(items);
        }
    }

    private static ConfigXmlException Invalid(XElement owner, string name, string raw, string expected) =>
        new($"config.xml: <{owner.Name.LocalName}> {name} is \"{raw}\", expected {expected}");
}
