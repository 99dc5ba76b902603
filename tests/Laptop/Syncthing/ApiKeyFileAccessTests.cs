using System.Diagnostics;
using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Devices;
using Thopter.Shared.IO;
using Thopter.Tests.Shared;
using Thopter.Tests.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Laptop.Syncthing;

/// <summary>
/// A file holding the laptop SyncThing's API key is used only when it is its owner's alone: open to the group or others,
/// or owned by someone else, it is refused with exit 18 and the chmod that fixes it, before SyncThing or a file is touched.
/// </summary>
public sealed class ApiKeyFileAccessTests : IDisposable
{
    private const string Key = "fakeKey0123456789abcdefFAKEKEY";
    private readonly TempDirectory home = new();
    private readonly FakeSyncthingHandler syncthing = new();
    private readonly string keyFile;

    public ApiKeyFileAccessTests()
    {
        keyFile = home.Combine("st.key");
        AtomicFile.WriteText(keyFile, Key, AtomicFile.PrivateMode);
    }

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path, SyncthingHandler = syncthing, UseDaemon = false };

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.OtherWrite)]
    [InlineData(UnixFileMode.OtherExecute)]
    public void A_key_file_open_to_the_group_or_others_is_a_problem_with_its_chmod(UnixFileMode extra)
    {
        File.SetUnixFileMode(keyFile, AtomicFile.PrivateMode | extra);

        var problem = SecretFileAccess.Problem(keyFile);

        Assert.NotNull(problem);
        Assert.Contains(keyFile, problem.Value.Reason, StringComparison.Ordinal);
        Assert.Equal($"`chmod 600 {keyFile}`, then run this again", problem.Value.Fix);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    public void A_key_file_only_its_owner_can_reach_is_fine(UnixFileMode mode)
    {
        File.SetUnixFileMode(keyFile, mode);

        Assert.Null(SecretFileAccess.Problem(keyFile));
    }

    [Fact]
    public void A_key_file_of_another_user_is_a_problem_even_at_0600()
    {
        // The suite runs as root (ENVIRONMENT.md): chown hands the file to "nobody" while root can still read it.
        Chown(keyFile, 65534);

        var problem = SecretFileAccess.Problem(keyFile);

        Assert.NotNull(problem);
        Assert.Contains("belongs to another user (uid 65534)", problem.Value.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_with_a_world_readable_key_file_is_refused_with_exit_18_and_changes_nothing()
    {
        File.SetUnixFileMode(keyFile, AtomicFile.PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await CliRun.RunAsync(Environment, "sync", "init", "--folder", "code", "--api-url", "http://127.0.0.1:8384", "--api-key-file", keyFile);

        Assert.True(result.ExitCode == ExitCodes.InsecureFile, result.ToString());
        Assert.Contains($"chmod 600 {keyFile}", result.Error, StringComparison.Ordinal);
        Assert.Contains("0644", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Thopter.", result.Error, StringComparison.Ordinal);
        Assert.Empty(syncthing.Requests);
        Assert.False(File.Exists(home.Combine(".thopter.json")));
        Assert.False(Directory.Exists(home.Combine("code")));
        Assert.Equal(AtomicFile.PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(keyFile));
    }

    [Fact]
    public async Task A_saved_key_file_that_became_readable_by_others_is_refused_by_later_commands()
    {
        File.WriteAllText(home.Combine(".thopter.json"), new JsonObject
        {
            ["syncthing"] = new JsonObject
            {
                ["deviceId"] = DeviceId.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()).ToString(),
                ["folderName"] = "code",
                ["api"] = new JsonObject { ["url"] = "http://127.0.0.1:8384", ["keyFile"] = keyFile },
            },
        }.ToJsonString());
        File.SetUnixFileMode(keyFile, AtomicFile.PrivateMode | UnixFileMode.GroupRead);

        var result = await CliRun.RunAsync(Environment, "sync", "status", "--json");

        Assert.True(result.ExitCode == ExitCodes.InsecureFile, result.ToString());
        Assert.Contains($"chmod 600 {keyFile}", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Empty(syncthing.Requests);
    }

    [Fact]
    public async Task A_syncthing_config_xml_readable_by_others_is_refused_too()
    {
        var stHome = home.Combine("st");
        Directory.CreateDirectory(stHome);
        var config = Path.Combine(stHome, "config.xml");
        File.WriteAllText(config, $"""<configuration version="37"><gui enabled="true" tls="false"><address>127.0.0.1:8384</address><apikey>{Key}</apikey></gui></configuration>""");
        File.SetUnixFileMode(config, AtomicFile.PrivateMode | UnixFileMode.OtherRead);

        var result = await CliRun.RunAsync(Environment, "sync", "init", "--folder", "code", "--syncthing-home", stHome);

        Assert.True(result.ExitCode == ExitCodes.InsecureFile, result.ToString());
        Assert.Contains($"chmod 600 {config}", result.Error, StringComparison.Ordinal);
        Assert.Empty(syncthing.Requests);
    }

    private static void Chown(string path, int uid)
    {
        using var chown = Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
