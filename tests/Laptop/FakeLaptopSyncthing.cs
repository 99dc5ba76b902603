using System.Net;
using System.Text.Json.Nodes;
using Thopter.Tests.Shared.Rest;

namespace Thopter.Tests.Laptop;

/// <summary>
/// An in-memory laptop SyncThing behind <see cref="FakeSyncthingHandler"/>: devices, folders, connections and
/// completion, enough for pair/unpair/status/doctor logic in unit tests (the real one runs in tests/EndToEnd).
/// </summary>
public sealed class FakeLaptopSyncthing
{
    public FakeLaptopSyncthing(string laptopId, string folderId, string folderPath)
    {
        LaptopId = laptopId;
        Devices.Add(new JsonObject { ["deviceID"] = laptopId, ["name"] = "laptop", ["addresses"] = new JsonArray("dynamic") });
        Folders[folderId] = new JsonObject { ["id"] = folderId, ["path"] = folderPath, ["devices"] = new JsonArray(new JsonObject { ["deviceID"] = laptopId }) };
        Handler.Respond = request => Task.FromResult(Answer(request));
    }

    public FakeSyncthingHandler Handler { get; } = new();

    public string LaptopId { get; }

    public bool Down { get; set; }

    public List<JsonObject> Devices { get; } = [];

    public Dictionary<string, JsonObject> Folders { get; } = [];

    public HashSet<string> Connected { get; } = [];

    public int Writes => Handler.Requests.Count(r => r.Method != HttpMethod.Get);

    public IEnumerable<string> DeviceIds => Devices.Select(d => (string)d["deviceID"]!);

    public IEnumerable<string> SharedWith(string folderId) => ((JsonArray)Folders[folderId]["devices"]!).Select(d => (string)d!["deviceID"]!);

    /// <summary>What /rest/system/version reports (Debian's 1.19.2 by default).</summary>
    public string Version { get; set; } = "v1.19.2-ds1";

    /// <summary>/rest/config/gui: locked by thopter unless a test opens it.</summary>
    public JsonObject Gui { get; set; } = new() { ["user"] = "thopter", ["password"] = "$2a$10$" + new string('x', 53), ["authMode"] = "static" };

    private HttpResponseMessage Answer(HttpRequestMessage request)
    {
        if (Down)
        {
            throw new HttpRequestException("Connection refused");
        }

        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content?.ReadAsStringAsync().GetAwaiter().GetResult();
        switch (request.Method.Method, path)
        {
            case ("GET", "/rest/system/status"):
                return FakeSyncthingHandler.Json(new JsonObject { ["myID"] = LaptopId }.ToJsonString());
            case ("GET", "/rest/config/devices"):
                return FakeSyncthingHandler.Json(new JsonArray([.. Devices.Select(d => d.DeepClone())]).ToJsonString());
            case ("GET", "/rest/system/connections"):
                var connections = new JsonObject();
                foreach (var id in DeviceIds)
                {
                    var on = Connected.Contains(id);
                    connections[id] = new JsonObject { ["connected"] = on, ["address"] = on ? "127.0.0.1:22001" : "", ["type"] = on ? "tcp-client" : "" };
                }

                return FakeSyncthingHandler.Json(new JsonObject { ["connections"] = connections }.ToJsonString());
            case ("GET", "/rest/db/completion"):
                return FakeSyncthingHandler.Json("""{"completion":100,"needItems":0}""");
            case ("GET", "/rest/db/status"):
                return FakeSyncthingHandler.Json("""{"state":"idle","needTotalItems":0}""");
            case ("GET", "/rest/system/version"):
                return FakeSyncthingHandler.Json(new JsonObject { ["version"] = Version, ["longVersion"] = $"syncthing {Version}" }.ToJsonString());
            case ("GET", "/rest/system/error"):
                return FakeSyncthingHandler.Json("""{"errors":[]}""");
            case ("GET", "/rest/config/gui"):
                return FakeSyncthingHandler.Json(Gui.ToJsonString());
            case ("PATCH", "/rest/config/gui"):
                foreach (var (key, value) in JsonNode.Parse(body!)!.AsObject())
                {
                    Gui[key] = value?.DeepClone();
                }

                return FakeSyncthingHandler.Json(string.Empty);
            case ("GET", "/rest/system/ping"):
                return FakeSyncthingHandler.Json("""{"ping":"pong"}""");
            case ("GET", "/rest/stats/device"):
                return FakeSyncthingHandler.Json("{}");
        }

        if (path.StartsWith("/rest/config/devices/", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path["/rest/config/devices/".Length..]);
            var existing = Devices.FirstOrDefault(d => (string)d["deviceID"]! == id);
            switch (request.Method.Method)
            {
                case "GET":
                    return existing is null ? NotFound() : FakeSyncthingHandler.Json(existing.ToJsonString());
                case "PUT":
                    Devices.Remove(existing!);
                    Devices.Add(JsonNode.Parse(body!)!.AsObject());
                    return FakeSyncthingHandler.Json(string.Empty);
                case "DELETE":
                    Devices.Remove(existing!);
                    return FakeSyncthingHandler.Json(string.Empty);
            }
        }

        if (path.StartsWith("/rest/config/folders/", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path["/rest/config/folders/".Length..]);
            switch (request.Method.Method)
            {
                case "GET":
                    return Folders.TryGetValue(id, out var folder) ? FakeSyncthingHandler.Json(folder.ToJsonString()) : NotFound();
                case "PUT":
                    Folders[id] = JsonNode.Parse(body!)!.AsObject();
                    return FakeSyncthingHandler.Json(string.Empty);
            }
        }

        return FakeSyncthingHandler.Text("unexpected " + request.Method + " " + path, HttpStatusCode.NotImplemented);
    }

    private static HttpResponseMessage NotFound() => FakeSyncthingHandler.Text("not found", HttpStatusCode.NotFound);
}
