using System.Net;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Shared.Config;
using Thopter.Shared.Rest;
using Thopter.Shared.Timing;
using Thopter.Tests.Harness;
using Thopter.Tests.Harness.Laptop;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>
/// `thopter sync init` locks the laptop SyncThing's own GUI, on every SyncThing release of the matrix: before it, anyone
/// on this machine who loads the GUI page gets a CSRF cookie that reads /rest/config (API key included); after it, that
/// is refused, while thopter (holding the API key) works as before.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GuiLockAgainstRealSyncthingTests : IDisposable
{
    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path, UseDaemon = false };

    [Theory]
    [MemberData(nameof(SyncthingBinary.Matrix), MemberType = typeof(SyncthingBinary))]
    public async Task After_init_the_csrf_cookie_alone_no_longer_reads_the_config_and_the_cli_still_works(string version)
    {
        await using var laptop = await LaptopSyncthing.StartAsync(SyncthingBinary.Of(version));
        var open = await StrangerGetAsync(laptop.RestAddress, "rest/config");
        Assert.True(open.Status == HttpStatusCode.OK && open.Body.Contains(laptop.ApiKey, StringComparison.Ordinal), $"the open GUI did not hand out the config (the test would prove nothing): {open.Status}");

        var init = await CliRun.RunAsync(Environment, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code", "--json");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True((bool)JsonNode.Parse(init.Output)!["changed"]!["guiLock"]!);
        foreach (var path in new[] { "rest/config", "rest/system/status", "rest/config/gui" })
        {
            var stranger = await StrangerGetAsync(laptop.RestAddress, path);
            Assert.True(stranger.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"GET /{path} with only the GUI's cookie: {stranger.Status}");
            Assert.DoesNotContain(laptop.ApiKey, stranger.Body, StringComparison.Ordinal);
        }

        var gui = SyncthingConfigDocument.Load(laptop.Home.ConfigPath).Gui!;
        Assert.Equal(GuiSecrets.LockUser, gui.User);
        Assert.True(GuiSecrets.IsLocked(gui));
        Assert.Equal(laptop.ApiKey, gui.ApiKey);

        var again = await CliRun.RunAsync(Environment, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False((bool)JsonNode.Parse(again.Output)!["changed"]!["guiLock"]!);
        Assert.Equal(gui.Password, SyncthingConfigDocument.Load(laptop.Home.ConfigPath).Gui!.Password);

        var doctor = await CliRun.RunAsync(Environment, "sync", "doctor", "--json");
        var check = ((JsonArray)JsonNode.Parse(doctor.Output)!["checks"]!).Single(c => (string)c!["name"]! == "syncthing gui")!;
        Assert.True((string)check["outcome"]! == "ok", doctor.ToString());
    }

    [Fact]
    public async Task A_gui_user_the_user_set_is_left_as_it_is_and_doctor_says_the_gui_is_open()
    {
        await using var laptop = await LaptopSyncthing.StartAsync();
        using var client = new SyncthingRestClient(laptop.RestAddress, new SyncthingApiKey(laptop.ApiKey));
        // As in SyncThing's settings: a GUI user typed in, the password left empty.
        try
        {
            await client.PatchGuiAsync(new RestGui { User = "me" });
        }
        catch (SyncthingApiException)
        {
            // SyncThing restarts its GUI listener for the change and may cut the answer; the wait below sees whether it took.
        }

        await Wait.UntilAsync("the GUI user to be set", async _ =>
        {
            try
            {
                return (await client.GetGuiAsync()).User == "me";
            }
            catch (SyncthingApiException)
            {
                return false; // the GUI listener restarts after the change
            }
        }, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

        var init = await CliRun.RunAsync(Environment, "sync", "init", "--syncthing-home", laptop.HomeDir, "--folder", "code", "--json");
        var doctor = await CliRun.RunAsync(Environment, "sync", "doctor", "--json");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.False((bool)JsonNode.Parse(init.Output)!["changed"]!["guiLock"]!);
        var gui = SyncthingConfigDocument.Load(laptop.Home.ConfigPath).Gui!;
        Assert.Equal("me", gui.User);
        Assert.Equal(string.Empty, gui.Password);
        var check = ((JsonArray)JsonNode.Parse(doctor.Output)!["checks"]!).Single(c => (string)c!["name"]! == "syncthing gui")!;
        Assert.Equal("fail", (string)check["outcome"]!);
    }

    /// <summary>What any local user can do: load the GUI page (SyncThing hands out a CSRF cookie), then call the REST API with that cookie and its token header, without the API key.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> StrangerGetAsync(Uri address, string path)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true };
        using var http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        using (await http.GetAsync(new Uri("/", UriKind.Relative)))
        {
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (handler.CookieContainer.GetCookies(address).FirstOrDefault(c => c.Name.StartsWith("CSRF-Token-", StringComparison.Ordinal)) is { } csrf)
        {
            request.Headers.Add("X-" + csrf.Name, csrf.Value);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
