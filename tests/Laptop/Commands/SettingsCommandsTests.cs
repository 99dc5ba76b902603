using System.Text.Json.Nodes;
using Thopter.Laptop;
using Thopter.Laptop.Cli;
using Thopter.Shared.IO;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Commands;

/// <summary>show, list, device-id, clear and the global options: pure settings-file commands.</summary>
public sealed class SettingsCommandsTests : IDisposable
{
    private const string Settings = """
        {
          "theme": "dark",
          "syncthing": {
            "deviceId": "LAPTOP1-AAAAAAA",
            "folderName": "code",
            "devboxes": {
              "box1": {"deviceId": "BOXONE1-BBBBBBB", "transport": ["ssh", "box1"], "pairedAt": "2026-11-20T10:00:00Z"},
              "box2": {"deviceId": "BOXTWO2-CCCCCCC", "transport": ["docker", "exec", "-i", "c2"]}
            }
          }
        }
        """;

    private readonly TempDirectory home = new();

    public void Dispose() => home.Dispose();

    private CliEnvironment Environment => new() { Home = home.Path };

    private string ConfigPath => home.Combine(".thopter.json");

    [Fact]
    public async Task Show_prints_settings_for_humans_and_as_json()
    {
        File.WriteAllText(ConfigPath, Settings);

        var human = await CliRun.RunAsync(Environment, "sync", "show");
        var json = await CliRun.RunAsync(Environment, "sync", "show", "--json");

        Assert.Equal(0, human.ExitCode);
        Assert.Contains("LAPTOP1-AAAAAAA", human.Output, StringComparison.Ordinal);
        Assert.Contains("~/code (SyncThing folder code)", human.Output, StringComparison.Ordinal);
        var result = JsonNode.Parse(json.Output)!;
        Assert.True((bool)result["configured"]!);
        Assert.Equal(2, (int)result["devboxes"]!);
        Assert.Equal(home.Combine("code"), (string)result["folderPath"]!);
        Assert.Empty(json.Error);
    }

    [Fact]
    public async Task Show_without_settings_says_how_to_start()
    {
        var result = await CliRun.RunAsync(Environment, "sync", "show");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("thopter sync init", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_devboxes_in_name_order()
    {
        File.WriteAllText(ConfigPath, Settings);

        var human = await CliRun.RunAsync(Environment, "sync", "list");
        var json = await CliRun.RunAsync(Environment, "sync", "list", "--json");

        var lines = human.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("box1  BOXONE1  2026-11-20 10:00Z", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("ssh box1", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("box2", lines[2], StringComparison.Ordinal);
        var devboxes = JsonNode.Parse(json.Output)!["devboxes"]!.AsArray();
        Assert.Equal(["box1", "box2"], devboxes.Select(d => (string)d!["name"]!));
        Assert.Equal(["docker", "exec", "-i", "c2"], devboxes[1]!["transport"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public async Task Device_id_prints_the_id_or_fails_with_not_found()
    {
        File.WriteAllText(ConfigPath, Settings);

        var found = await CliRun.RunAsync(Environment, "sync", "device-id", "box2");
        var missing = await CliRun.RunAsync(Environment, "sync", "device-id", "box9");

        Assert.Equal("BOXTWO2-CCCCCCC\n", found.Output);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("paired: box1, box2", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_removes_only_the_syncthing_key_and_is_idempotent()
    {
        File.WriteAllText(ConfigPath, Settings);

        var first = await CliRun.RunAsync(Environment, "sync", "clear");
        var second = await CliRun.RunAsync(Environment, "sync", "clear", "--json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal("{\n  \"theme\": \"dark\"\n}", File.ReadAllText(ConfigPath));
        Assert.Equal(Settings, File.ReadAllText(AtomicFile.BackupPathOf(ConfigPath)));
        Assert.False((bool)JsonNode.Parse(second.Output)!["cleared"]!);
    }

    [Fact]
    public async Task Config_option_points_at_another_file_with_tilde_expansion()
    {
        File.WriteAllText(home.Combine("alt.json"), Settings);

        var result = await CliRun.RunAsync(Environment, "sync", "device-id", "box1", "--config", "~/alt.json");

        Assert.Equal("BOXONE1-BBBBBBB\n", result.Output);
    }

    [Fact]
    public async Task Corrupt_settings_give_the_config_exit_code_with_line_and_fix()
    {
        File.WriteAllText(ConfigPath, "{\n  \"syncthing\": {\"devboxes\": {\"b\": {\"transport\": \"ssh\"}}}\n}");

        foreach (var command in new[] { "show", "list", "clear" })
        {
            var result = await CliRun.RunAsync(Environment, "sync", command);

            Assert.Equal(ExitCodes.ConfigCorrupt, result.ExitCode);
            Assert.Contains("$.syncthing.devboxes.b.transport must be an array", result.Error, StringComparison.Ordinal);
            Assert.Contains("  fix: ", result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sync", "bogus")]
    [InlineData("sync", "init", "--no-such-option")]
    [InlineData("sync", "device-id")]
    public async Task Parse_errors_are_bad_input_with_a_help_hint(params string[] args)
    {
        var result = await CliRun.RunAsync(Environment, args);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Exit_codes_are_distinct()
    {
        var codes = typeof(ExitCodes).GetFields().Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(codes.Count, codes.Select(ExitCodes.NameOf).Distinct().Count());
    }
}
