using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Thopter.Shared.ThopterConfig;

/// <summary>Converts the <c>syncthing</c> key between JSON and <see cref="SyncSection"/>, naming the exact JSON path of a wrong type.</summary>
internal static class SyncSectionJson
{
    public static SyncSection Read(JsonNode? node)
    {
        if (node is null)
        {
            return new SyncSection();
        }

        var obj = Object(node, "$.syncthing");
        var section = new SyncSection { Unknown = [] };
        foreach (var (key, value) in obj)
        {
            var path = $"$.syncthing.{key}";
            switch (key)
            {
                case "deviceId":
                    section.DeviceId = OptionalString(value, path);
                    break;
                case "folderName":
                    section.FolderName = OptionalString(value, path);
                    if (section.FolderName is not null && FolderName.Problem(section.FolderName) is { } problem)
                    {
                        throw new InvalidTypeException(path, $"is not a valid folder name: {problem}");
                    }

                    break;
                case "folderPath":
                    section.FolderPath = OptionalString(value, path);
                    if (section.FolderPath is not null && !Path.IsPathFullyQualified(section.FolderPath))
                    {
                        throw new InvalidTypeException(path, "is not an absolute path");
                    }

                    break;
                case "devboxes":
                    if (value is not null)
                    {
                        foreach (var (name, entry) in Object(value, path))
                        {
                            section.Devboxes[name] = ReadDevbox(entry, $"{path}.{name}");
                        }
                    }

                    break;
                case "defaultTransport":
                    section.DefaultTransport = value is null ? null : StringArray(value, path);
                    break;
                case "api":
                    section.Api = value is null ? null : ReadApi(value, path);
                    break;
                case "notifyConflicts":
                    section.NotifyConflicts = value is null ? null : Bool(value, path);
                    break;
                default:
                    section.Unknown[key] = value?.DeepClone();
                    break;
            }
        }

        return section;
    }

    public static JsonObject Write(SyncSection section)
    {
        var obj = new JsonObject();
        if (section.DeviceId is not null)
        {
            obj["deviceId"] = section.DeviceId;
        }

        if (section.FolderName is not null)
        {
            obj["folderName"] = section.FolderName;
        }

        if (section.FolderPath is not null)
        {
            obj["folderPath"] = section.FolderPath;
        }

        if (section.Devboxes.Count > 0)
        {
            var devboxes = new JsonObject();
            foreach (var (name, entry) in section.Devboxes)
            {
                devboxes[name] = WriteDevbox(entry);
            }

            obj["devboxes"] = devboxes;
        }

        if (section.DefaultTransport is not null)
        {
            obj["defaultTransport"] = Array(section.DefaultTransport);
        }

        if (section.Api is not null)
        {
            obj["api"] = WriteApi(section.Api);
        }

        if (section.NotifyConflicts is { } notify)
        {
            obj["notifyConflicts"] = notify;
        }

        CopyUnknown(section.Unknown, obj);
        return obj;
    }

    private static DevboxEntry ReadDevbox(JsonNode? node, string path)
    {
        var entry = new DevboxEntry { Unknown = [] };
        foreach (var (key, value) in Object(node, path))
        {
            switch (key)
            {
                case "deviceId":
                    entry.DeviceId = OptionalString(value, $"{path}.{key}") ?? string.Empty;
                    break;
                case "transport":
                    entry.Transport = value is null ? [] : StringArray(value, $"{path}.{key}");
                    break;
                case "agentArgs":
                    entry.AgentArgs = value is null ? [] : StringArray(value, $"{path}.{key}");
                    break;
                case "route":
                    entry.Route = OptionalString(value, $"{path}.{key}");
                    break;
                case "agentPath":
                    entry.AgentPath = OptionalString(value, $"{path}.{key}");
                    break;
                case "tunnelPort":
                    entry.TunnelPort = OptionalPort(value, $"{path}.{key}");
                    break;
                case "pairedAt":
                    var text = OptionalString(value, $"{path}.{key}");
                    if (text is not null)
                    {
                        entry.PairedAt = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                            ? at
                            : throw new InvalidTypeException($"{path}.{key}", "is not a date and time (ISO 8601)");
                    }

                    break;
                default:
                    entry.Unknown[key] = value?.DeepClone();
                    break;
            }
        }

        return entry;
    }

    private static JsonObject WriteDevbox(DevboxEntry entry)
    {
        var obj = new JsonObject
        {
            ["deviceId"] = entry.DeviceId,
            ["transport"] = Array(entry.Transport),
        };
        if (entry.PairedAt is { } at)
        {
            obj["pairedAt"] = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        if (entry.AgentArgs.Count > 0)
        {
            obj["agentArgs"] = Array(entry.AgentArgs);
        }

        if (entry.Route is not null)
        {
            obj["route"] = entry.Route;
        }

        if (entry.TunnelPort is { } port)
        {
            obj["tunnelPort"] = port;
        }

        if (entry.AgentPath is not null)
        {
            obj["agentPath"] = entry.AgentPath;
        }

        CopyUnknown(entry.Unknown, obj);
        return obj;
    }

    private static ApiSettings ReadApi(JsonNode node, string path)
    {
        var api = new ApiSettings { Unknown = [] };
        foreach (var (key, value) in Object(node, path))
        {
            switch (key)
            {
                case "url":
                    api.Url = OptionalString(value, $"{path}.{key}");
                    break;
                case "keyFile":
                    api.KeyFile = OptionalString(value, $"{path}.{key}");
                    break;
                case "syncthingHome":
                    api.SyncthingHome = OptionalString(value, $"{path}.{key}");
                    break;
                default:
                    api.Unknown[key] = value?.DeepClone();
                    break;
            }
        }

        return api;
    }

    private static JsonObject WriteApi(ApiSettings api)
    {
        var obj = new JsonObject();
        if (api.Url is not null)
        {
            obj["url"] = api.Url;
        }

        if (api.KeyFile is not null)
        {
            obj["keyFile"] = api.KeyFile;
        }

        if (api.SyncthingHome is not null)
        {
            obj["syncthingHome"] = api.SyncthingHome;
        }

        CopyUnknown(api.Unknown, obj);
        return obj;
    }

    private static void CopyUnknown(JsonObject from, JsonObject to)
    {
        foreach (var (key, value) in from)
        {
            to[key] = value?.DeepClone();
        }
    }

    private static JsonArray Array(IEnumerable<string> items) => new([.. items.Select(item => (JsonNode?)JsonValue.Create(item))]);

    private static JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw new InvalidTypeException(path, $"must be an object, not {Kind(node)}");

    private static string? OptionalString(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw new InvalidTypeException(path, $"must be a string, not {Kind(node)}"),
    };

    private static bool Bool(JsonNode node, string path) =>
        node.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? node.GetValue<bool>()
            : throw new InvalidTypeException(path, $"must be true or false, not {Kind(node)}");

    private static int? OptionalPort(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var port) && port is > 0 and < 65536 => port,
        _ => throw new InvalidTypeException(path, "must be a TCP port (1-65535)"),
    };

    private static List<string> StringArray(JsonNode node, string path)
    {
        if (node is not JsonArray array)
        {
            throw new InvalidTypeException(path, $"must be an array of strings, not {Kind(node)}");
        }

        return [.. array.Select((item, i) => OptionalString(item, $"{path}[{i}]") ?? throw new InvalidTypeException($"{path}[{i}]", "must be a string, not null"))];
    }

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };
}

/// <summary>A value of the wrong type at a JSON path inside the file.</summary>
internal sealed class InvalidTypeException(string jsonPath, string problem) : Exception($"{jsonPath} {problem}")
{
    public string JsonPath { get; } = jsonPath;
}
