using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Thopter.Shared.Folders;

namespace Thopter.Laptop.ThopterConfig;

/// <summary>
/// Converts the <c>syncthing</c> key between JSON and <see cref="SyncSection"/> through the source-generated contract,
/// naming the exact JSON path of a wrong type or an invalid value. Empty lists and maps are left out when written.
/// </summary>
internal static class SyncSectionJson
{
    private static readonly JsonTypeInfo<SyncSection> Contract = CreateContract();

    public static SyncSection Read(JsonNode? node)
    {
        if (node is null)
        {
            return new SyncSection();
        }

        SyncSection section;
        try
        {
            section = node.Deserialize(Contract) ?? new SyncSection();
        }
        catch (JsonException error)
        {
            var path = error.Path ?? "$";
            throw new InvalidTypeException(Located(path), $"must be {Expected(path)}, not {Found(node, path)}");
        }

        Validate(section);
        return section;
    }

    public static JsonObject Write(SyncSection section) => JsonSerializer.SerializeToNode(section, Contract)!.AsObject();

    private static void Validate(SyncSection section)
    {
        if (section.LegacyFolderName is { } name && FolderName.Problem(name) is { } problem)
        {
            throw new InvalidTypeException("$.syncthing.folderName", $"is not a valid folder name: {problem}");
        }

        if (section.LegacyFolderPath is { } folderPath && !Path.IsPathFullyQualified(folderPath))
        {
            throw new InvalidTypeException("$.syncthing.folderPath", "is not an absolute path");
        }

        ValidateFolders(section);
        Migrate(section);

        foreach (var (devbox, entry) in section.Devboxes)
        {
            var at = $"$.syncthing.devboxes{Member(devbox)}";
            if (entry is null)
            {
                throw new InvalidTypeException(at, "must be an object, not null");
            }

            entry.DeviceId ??= string.Empty;
            entry.Transport = NoNulls(entry.Transport, $"{at}.transport");
            entry.AgentArgs = NoNulls(entry.AgentArgs, $"{at}.agentArgs");
            if (entry.Folders is { } folders)
            {
                entry.Folders = NoNulls(folders, $"{at}.folders");
            }

            if (entry.TunnelPort is { } port and not (> 0 and < 65536))
            {
                throw new InvalidTypeException($"{at}.tunnelPort", "must be a TCP port (1-65535)");
            }
        }

        if (section.DefaultTransport is { } prefix)
        {
            section.DefaultTransport = NoNulls(prefix, "$.syncthing.defaultTransport");
        }
    }

    private static void ValidateFolders(SyncSection section)
    {
        section.Folders ??= [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < section.Folders.Count; i++)
        {
            var at = $"$.syncthing.folders[{i}]";
            var folder = section.Folders[i] ?? throw new InvalidTypeException(at, "must be an object, not null");
            if (FolderName.Problem(folder.Name) is { } problem)
            {
                throw new InvalidTypeException($"{at}.name", $"is not a valid folder name: {problem}");
            }

            if (!seen.Add(folder.Name))
            {
                throw new InvalidTypeException($"{at}.name", $"names folder \"{folder.Name}\" a second time");
            }

            if (folder.Path is { } path && (folder.IsOwn || !Path.IsPathFullyQualified(path)))
            {
                throw new InvalidTypeException($"{at}.path", folder.IsOwn ? "is not allowed on an own folder (each devbox's is ~/NAME/DEVBOX)" : "is not an absolute path");
            }
        }
    }

    /// <summary>
    /// A file from before several folders: its one folder becomes the first of the list under the same name (the same
    /// SyncThing folder ID: renaming it would resync everything and drop every share), and folderName/folderPath are
    /// no longer written. Devbox entries without a folder list keep syncing every folder, as they did.
    /// </summary>
    private static void Migrate(SyncSection section)
    {
        if (section.LegacyFolderName is { } name && section.Folder(name) is null)
        {
            section.Folders.Insert(0, new SyncFolder { Name = name, Path = section.LegacyFolderPath });
        }

        section.LegacyFolderName = null;
        section.LegacyFolderPath = null;
    }

    // A JSON null reads as a missing list; a null inside one is a mistake.
    private static List<string> NoNulls(List<string>? items, string path)
    {
        items ??= [];
        var index = items.IndexOf(null!);
        return index < 0 ? items : throw new InvalidTypeException($"{path}[{index}]", "must be a string, not null");
    }

    private static JsonTypeInfo<SyncSection> CreateContract()
    {
        var resolver = ThopterJsonContext.Default.WithAddedModifier(OmitEmptyCollections);
        var options = new JsonSerializerOptions(ThopterJsonContext.Default.Options) { TypeInfoResolver = resolver };
        return (JsonTypeInfo<SyncSection>)options.GetTypeInfo(typeof(SyncSection));
    }

    private static void OmitEmptyCollections(JsonTypeInfo type)
    {
        foreach (var property in type.Properties.Where(p => p.PropertyType != typeof(string) && typeof(ICollection).IsAssignableFrom(p.PropertyType)))
        {
            property.ShouldSerialize = (_, value) => value is ICollection { Count: > 0 };
        }
    }

    // The serializer's paths are relative to the section ("$.devboxes['a.b'].transport[1]").
    private static string Located(string path) => "$.syncthing" + path[1..];

    private static string Member(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? $".{name}" : $"['{name}']";

    /// <summary>What the contract expects at <paramref name="path"/>: walked through the generated type information, not guessed from a message.</summary>
    private static string Expected(string path)
    {
        var type = Contract.Options.GetTypeInfo(typeof(SyncSection));
        foreach (var step in JsonPathSteps.Of(path))
        {
            JsonTypeInfo? next = type.Kind switch
            {
                JsonTypeInfoKind.Object => type.Properties.FirstOrDefault(p => p.Name == step)?.PropertyType is { } t ? type.Options.GetTypeInfo(t) : null,
                JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Enumerable => type.ElementType is { } e ? type.Options.GetTypeInfo(e) : null,
                _ => null,
            };
            if (next is null)
            {
                break;
            }

            type = next;
        }

        return Describe(type);
    }

    private static string Found(JsonNode node, string path)
    {
        JsonNode? at = node;
        foreach (var step in JsonPathSteps.Of(path))
        {
            at = at switch
            {
                JsonObject obj => obj[step],
                JsonArray array when int.TryParse(step, out var index) && index >= 0 && index < array.Count => array[index],
                _ => at,
            };
        }

        return at?.GetValueKind() switch
        {
            null or JsonValueKind.Null => "null",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        };
    }

    private static string Describe(JsonTypeInfo type) => type.Type switch
    {
        var t when t == typeof(string) => "a string",
        var t when t == typeof(int?) || t == typeof(int) => "a whole number",
        var t when t == typeof(bool?) || t == typeof(bool) => "true or false",
        var t when t == typeof(DateTimeOffset?) => "a date and time (ISO 8601)",
        _ when type.Kind == JsonTypeInfoKind.Enumerable && type.ElementType == typeof(string) => "an array of strings",
        _ when type.Kind == JsonTypeInfoKind.Enumerable => "an array",
        _ => "an object",
    };
}

/// <summary>A value of the wrong type at a JSON path inside the file.</summary>
internal sealed class InvalidTypeException(string jsonPath, string problem) : Exception($"{jsonPath} {problem}")
{
    public string JsonPath { get; } = jsonPath;
}
