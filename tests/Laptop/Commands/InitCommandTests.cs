using System.Net;
using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.Devices;
using Thopter.Shared.IO;
using Thopter.Shared.Ignore;
using Thopter.Tests.Shared;
using Thopter.Tests.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>
/// `thopter sync init` against a fake SyncThing (HTTP handler): the cases a real one cannot produce
/// on demand (odd answers) and a fast check of the exact requests. The real SyncThing runs in
/// <see cref="InitAgainstRealSyncthingTests"/>.
/// </summary>
public sealed class InitCommandTests : IDisposable
{
    private const string Key = "fakeKey0123456789abcdefFAKEKEY";
    private static readonly string LaptopId = DeviceId.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()).ToString();
    private readonly TempDirectory home = new();
    private readonly FakeSyncthingHandler syncthing = new();
    private readonly Dictionary<string, JsonObject> folders = [];
    private readonly string keyFile;
    private string syncthingVersion = "v1.19.2";
    private JsonObject gui = new() { ["user"] = "", ["password"] = "", ["authMode"] = "static", ["apiKey"] = Key };

    public InitCommandTests()
    {
        keyFile = home.Combine("st.key");
        AtomicFile.WriteText(keyFile, Key + "\n", AtomicFile.PrivateMode);
        syncthing.Respond = Answer;
    }

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path, SyncthingHandler = syncthing, UseDaemon = false };

    private string ConfigPath => home.Combine(".thopter.json");

    [Fact]
    public async Task Creates_folder_and_stignore_registers_it_and_saves_settings()
    {
        var result = await Init("--folder", "code", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(StIgnore.Merge(null), File.ReadAllText(home.Combine("code", ".stignore")));
        var folder = folders["code"];
        Assert.Equal(home.Combine("code"), (string)folder["path"]!);
        Assert.Equal(1, (double)folder["fsWatcherDelayS"]!);
        Assert.True((bool)folder["fsWatcherEnabled"]!);
        Assert.Equal(3600, (int)folder["rescanIntervalS"]!);
        var saved = JsonNode.Parse(File.ReadAllText(ConfigPath))!["syncthing"]!;
        Assert.Equal(LaptopId, (string)saved["deviceId"]!);
        Assert.Equal("code", (string)saved["folders"]![0]!["name"]!);
        Assert.Null(saved["folderName"]);
        Assert.Equal(keyFile, (string)saved["api"]!["keyFile"]!);
        Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(ConfigPath));
        var reported = JsonNode.Parse(result.Output)!;
        Assert.Equal(LaptopId, (string)reported["deviceId"]!);
        Assert.Equal(
            ["deviceId", "folderName", "folderPath", "folderId", "syncthing", "changed", "daemon"],
            reported.AsObject().Select(p => p.Key));
        Assert.Equal(["directory", "stignore", "syncthingFolder", "guiLock", "settings"], reported["changed"]!.AsObject().Select(p => p.Key));
        Assert.All(reported["changed"]!.AsObject(), p => Assert.True(p.Key == "guiLock" || (bool)p.Value!, p.Key));
        Assert.All(syncthing.Requests, r => Assert.Equal(Key, r.ApiKey));
    }

    [Fact]
    public async Task On_syncthing_1_pullerDelayS_is_not_sent()
    {
        await Init("--folder", "code");

        Assert.False(folders["code"].ContainsKey("pullerDelayS"));
    }

    [Fact]
    public async Task On_syncthing_2_pullerDelayS_is_set_to_zero_and_corrected_when_changed()
    {
        syncthingVersion = "v2.0.3";
        await Init("--folder", "code");
        Assert.Equal(0, (double)folders["code"]["pullerDelayS"]!);

        folders["code"]["pullerDelayS"] = 1;
        var again = await Init("--folder", "code", "--json");

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(0, (double)folders["code"]["pullerDelayS"]!);
        Assert.True((bool)JsonNode.Parse(again.Output)!["changed"]!["syncthingFolder"]!);
    }

    [Fact]
    public async Task Second_run_changes_nothing()
    {
        await Init("--folder", "code");
        var settings = File.ReadAllBytes(ConfigPath);
        var puts = syncthing.Requests.Count(r => r.Method == HttpMethod.Put);

        var again = await Init("--folder", "code", "--json");

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(settings, File.ReadAllBytes(ConfigPath));
        Assert.Equal(puts, syncthing.Requests.Count(r => r.Method == HttpMethod.Put));
        var changed = JsonNode.Parse(again.Output)!["changed"]!.AsObject();
        Assert.All(changed, pair => Assert.False((bool)pair.Value!, pair.Key));
    }

    [Fact]
    public async Task Our_folder_with_other_settings_is_corrected_keeping_what_we_do_not_manage()
    {
        Assert.Equal(0, (await Init("--folder", "code")).ExitCode);
        folders["code"] = new JsonObject
        {
            ["id"] = "code", ["label"] = "my code", ["path"] = home.Combine("moved"),
            ["fsWatcherEnabled"] = false, ["fsWatcherDelayS"] = 10, ["rescanIntervalS"] = 60,
            ["devices"] = new JsonArray(new JsonObject { ["deviceID"] = "OTHER" }),
            ["versioning"] = new JsonObject { ["type"] = "simple" },
        };

        var result = await Init("--folder", "code");

        Assert.Equal(0, result.ExitCode);
        var folder = folders["code"];
        Assert.True((bool)folder["fsWatcherEnabled"]!);
        Assert.Equal(3600, (int)folder["rescanIntervalS"]!);
        Assert.Equal("OTHER", (string)folder["devices"]![0]!["deviceID"]!);
        Assert.Equal("simple", (string)folder["versioning"]!["type"]!);
        Assert.Equal(home.Combine("moved"), (string)folder["path"]!);
        Assert.Equal("my code", (string)folder["label"]!);
    }

    [Fact]
    public async Task User_stignore_lines_are_kept()
    {
        Directory.CreateDirectory(home.Combine("code"));
        File.WriteAllText(home.Combine("code", ".stignore"), "!node_modules\nbig-data\n");

        await Init("--folder", "code");

        var text = File.ReadAllText(home.Combine("code", ".stignore"));
        Assert.StartsWith("!node_modules\nbig-data\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nnode_modules\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_folder_name_adds_a_folder_and_the_first_stays_the_default()
    {
        await Init("--folder", "code");

        var result = await Init("--folder", "work");

        Assert.Equal(0, result.ExitCode);
        Assert.True(folders.ContainsKey("code") && folders.ContainsKey("work"));
        var saved = JsonNode.Parse(File.ReadAllText(ConfigPath))!["syncthing"]!;
        Assert.Equal(["code", "work"], saved["folders"]!.AsArray().Select(f => (string)f!["name"]!));
        Assert.Equal(0, (await Init()).ExitCode);
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(ConfigPath))!["syncthing"]!["folders"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_own_folder_is_recorded_and_its_laptop_directory_made_but_nothing_registered_in_syncthing()
    {
        var ownFirst = await Init("--folder", "notes", "--own");
        Assert.Equal(2, ownFirst.ExitCode);
        Assert.Contains("needs a shared folder first", ownFirst.Error);
        Assert.Contains("thopter sync init --folder notes --own", ownFirst.Error);
        await Init("--folder", "code");
        var registered = folders.Count;

        var result = await Init("--folder", "notes", "--own", "--json");
        var again = await Init("--folder", "notes", "--own", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, again.ExitCode);
        Assert.True(Directory.Exists(home.Combine("notes")));
        Assert.Equal(registered, folders.Count);
        var saved = JsonNode.Parse(File.ReadAllText(ConfigPath))!["syncthing"]!["folders"]!.AsArray();
        Assert.Equal(2, saved.Count);
        Assert.True((bool)saved[1]!["own"]!);
        var reported = JsonNode.Parse(result.Output)!;
        Assert.Equal(
            ["deviceId", "folderName", "own", "folderPath", "syncthing", "changed", "daemon"],
            reported.AsObject().Select(p => p.Key));
        Assert.Equal(home.Combine("notes"), (string)reported["folderPath"]!);
        Assert.Equal(["directory", "guiLock", "settings"], reported["changed"]!.AsObject().Select(p => p.Key));
        Assert.True((bool)reported["changed"]!["settings"]!);
        Assert.False((bool)JsonNode.Parse(again.Output)!["changed"]!["settings"]!);
        Assert.Equal(2, (await Init("--folder", "code", "--own")).ExitCode);
        Assert.Equal(2, (await Init("--folder", "a@b")).ExitCode);
    }

    [Fact]
    public async Task Saved_folder_name_is_the_default_next_time()
    {
        await Init("--folder", "code");

        var result = await Init();

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("warning", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(home.Combine("thopter-sync")));
    }

    [Theory]
    [InlineData("--folder", "../etc")]
    [InlineData("--folder", ".ssh")]
    [InlineData("--folder", "-rf")]
    [InlineData("--device-id", "not-a-device-id")]
    public async Task Bad_input_is_refused_before_anything_changes(string option, string value)
    {
        var result = await Init(option, value);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("\n  fix: ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigPath));
        Assert.Empty(folders);
    }

    [Fact]
    public async Task A_different_laptop_device_id_than_expected_is_refused()
    {
        var other = DeviceId.FromBytes(new byte[32]).ToString();

        var result = await Init("--device-id", other);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("not the expected", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task Corrupt_settings_file_is_left_untouched()
    {
        File.WriteAllText(ConfigPath, "{\"other\": 1, ");

        var result = await Init("--folder", "code");

        Assert.Equal(ExitCodes.ConfigCorrupt, result.ExitCode);
        Assert.Equal("{\"other\": 1, ", File.ReadAllText(ConfigPath));
        Assert.Empty(folders);
        Assert.False(Directory.Exists(home.Combine("code")));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, ExitCodes.SyncthingUnauthorized)]
    [InlineData(HttpStatusCode.InternalServerError, ExitCodes.SyncthingError)]
    public async Task SyncThing_errors_map_to_exit_codes_and_never_show_the_key(HttpStatusCode status, int exit)
    {
        syncthing.Respond = _ => Task.FromResult(FakeSyncthingHandler.Text($"nope {Key}", status));

        var result = await Init("--folder", "code", "--verbose");
        var json = await Init("--folder", "code", "--json");

        Assert.Equal(exit, result.ExitCode);
        Assert.DoesNotContain(Key, result.Output + result.Error + json.Output + json.Error, StringComparison.Ordinal);
        Assert.Equal(exit, (int)JsonNode.Parse(json.Error)!["error"]!["exitCode"]!);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task Verbose_logs_what_init_does_on_stderr_and_never_the_key()
    {
        var quiet = await Init("--folder", "code");
        var verbose = await Init("--folder", "code", "--verbose");

        Assert.Equal(0, verbose.ExitCode);
        Assert.DoesNotContain(" DBG ", quiet.Error, StringComparison.Ordinal);
        Assert.Contains(" DBG thopter: SyncThing REST at ", verbose.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, verbose.Output + verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_gui_is_locked_once_with_a_user_and_a_bcrypt_hash_and_the_api_key_is_kept()
    {
        var first = await Init("--folder", "code", "--json");
        var patches = syncthing.Requests.Count(r => r.Method == HttpMethod.Patch);
        var second = await Init("--folder", "code", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("thopter", (string)gui["user"]!);
        Assert.Matches("^\\$2a\\$10\\$[./A-Za-z0-9]{53}$", (string)gui["password"]!);
        Assert.Equal(Key, (string)gui["apiKey"]!);
        Assert.True((bool)JsonNode.Parse(first.Output)!["changed"]!["guiLock"]!);
        Assert.False((bool)JsonNode.Parse(second.Output)!["changed"]!["guiLock"]!);
        Assert.Equal(1, patches);
        Assert.Equal(1, syncthing.Requests.Count(r => r.Method == HttpMethod.Patch));
    }

    [Theory]
    [InlineData("me", "", "static")]
    [InlineData("", "$2a$10$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "static")]
    [InlineData("me", "$2a$10$mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm", "static")]
    [InlineData("", "", "ldap")]
    public async Task A_gui_login_the_user_set_is_never_replaced(string user, string password, string authMode)
    {
        gui = new JsonObject { ["user"] = user, ["password"] = password, ["authMode"] = authMode, ["apiKey"] = Key };

        var result = await Init("--folder", "code");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(syncthing.Requests, r => r.Method == HttpMethod.Patch);
        Assert.Equal(user, (string)gui["user"]!);
        Assert.Equal(password, (string)gui["password"]!);
    }

    [Fact]
    public async Task Conflicting_key_sources_are_bad_input()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "init", "--syncthing-home", home.Path, "--api-key-file", keyFile);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
    }

    [Fact]
    public async Task A_non_loopback_api_url_is_refused()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "init", "--api-url", "http://example.com:8384", "--api-key-file", keyFile);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Empty(syncthing.Requests);
    }

    [Fact]
    public async Task Settings_that_list_only_own_folders_are_refused_by_every_command_naming_them_and_the_fix_and_left_alone()
    {
        // init refuses an own folder first, so only a hand-written file gets here.
        var written = $$$"""{"syncthing":{"deviceId":"{{{LaptopId}}}","folders":[{"name":"notes","own":true}]}}""";
        File.WriteAllText(ConfigPath, written);

        foreach (var command in new[] { new[] { "sync", "conflicts" }, ["sync", "pair", "box1", "--transport", "true"], ["sync", "status"] })
        {
            var result = await CliRun.RunAsync(Environment, command);
            Assert.True(result.ExitCode == 10, $"{string.Join(' ', command)}: {result}");
            Assert.Contains("lists only own folders (notes)", result.Error);
            Assert.Contains("thopter sync init --folder", result.Error);
        }

        Assert.Equal(written, File.ReadAllText(ConfigPath));
    }

    private Task<CliResult> Init(params string[] extra) =>
        CliRun.RunAsync(Environment, ["sync", "init", "--api-url", "http://127.0.0.1:8384", "--api-key-file", keyFile, .. extra]);

    // A tiny in-memory SyncThing: status plus folder GET/PUT with PUT replacing the whole object.
    private Task<HttpResponseMessage> Answer(HttpRequestMessage request)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path == "/rest/system/version")
        {
            return Task.FromResult(FakeSyncthingHandler.Json($$"""{"version":"{{syncthingVersion}}"}"""));
        }

        if (path == "/rest/system/status")
        {
            return Task.FromResult(FakeSyncthingHandler.Json($$"""{"myID":"{{LaptopId}}","uptime":5}"""));
        }

        if (path == "/rest/system/ping")
        {
            return Task.FromResult(FakeSyncthingHandler.Json("""{"ping":"pong"}"""));
        }

        if (path == "/rest/config/gui")
        {
            if (request.Method == HttpMethod.Patch)
            {
                foreach (var (field, value) in JsonNode.Parse(request.Content!.ReadAsStringAsync().Result)!.AsObject())
                {
                    gui[field] = value?.DeepClone();
                }
            }

            return Task.FromResult(FakeSyncthingHandler.Json(gui.ToJsonString()));
        }

        const string prefix = "/rest/config/folders/";
        if (path.StartsWith(prefix, StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path[prefix.Length..]);
            if (request.Method == HttpMethod.Get)
            {
                return Task.FromResult(folders.TryGetValue(id, out var folder)
                    ? FakeSyncthingHandler.Json(folder.ToJsonString())
                    : FakeSyncthingHandler.Text("No folder with given ID", HttpStatusCode.NotFound));
            }

            if (request.Method == HttpMethod.Put)
            {
                folders[id] = JsonNode.Parse(request.Content!.ReadAsStringAsync().Result)!.AsObject();
                return Task.FromResult(FakeSyncthingHandler.Json(string.Empty));
            }
        }

        return Task.FromResult(FakeSyncthingHandler.Text("unexpected " + path, HttpStatusCode.NotImplemented));
    }
}
