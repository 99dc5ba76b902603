using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Thopter.Agent;
using Thopter.Agent.Output;
using Thopter.Shared.Contracts;
using Xunit;

namespace Thopter.Tests.Shared.Contracts;

/// <summary>
/// The documents the agent writes and the laptop reads. Samples/ holds real output of the AOT agent, captured before
/// these types moved to shared/ (setup.json, status-healthy.json and error.json from a build without the inotify
/// report: what an older agent on a devbox prints; status-unhealthy.json from the current build): reading each through
/// the shared contract and writing it again must give the same bytes, so a renamed, reordered or re-escaped field fails here.
/// </summary>
public sealed class ContractJsonTests
{
    [Theory]
    [InlineData("setup.json")]
    public void Setup_sample_reads_and_writes_back_byte_for_byte(string sample) =>
        AssertSameBytes(sample, ContractJsonContext.Wire.SetupResult);

    [Theory]
    [InlineData("status-healthy.json")]
    [InlineData("status-unhealthy.json")]
    public void Status_sample_reads_and_writes_back_byte_for_byte(string sample) =>
        AssertSameBytes(sample, ContractJsonContext.Wire.StatusResult);

    [Fact]
    public void Error_sample_reads_and_writes_back_byte_for_byte() =>
        AssertSameBytes("error.json", ContractJsonContext.Wire.ErrorDocument);

    [Fact]
    public void Agent_error_writer_prints_the_sample_document()
    {
        var sample = Read("error.json");
        var error = JsonSerializer.Deserialize(sample, ContractJsonContext.Wire.ErrorDocument)!.Error;
        using var stdout = new StringWriter();

        JsonOutput.WriteError(stdout, ExitCodes.InvalidDeviceId, error.Message, error.Fix);

        Assert.Equal(sample, stdout.ToString());
    }

    [Fact]
    public void Older_agent_status_without_inotify_reads_as_absent()
    {
        var status = JsonSerializer.Deserialize(Read("status-healthy.json"), ContractJsonContext.Wire.StatusResult)!;

        Assert.Null(status.Inotify);
        Assert.True(status.Healthy);
        Assert.Equal("idle", Assert.Single(status.Folders).State);
        Assert.Null(status.Folders[0].Error);
    }

    [Fact]
    public void Setup_document_round_trips()
    {
        var setup = new SetupResult(
            "DEVICE",
            new FolderReport("code", "/home/dev/code"),
            new SyncthingReport("v1.29.5", "/b", "/h", "/h/config.xml", "downloaded"),
            new IdentityReport("regenerated", "a clone", "mh-1", ["/h/cert.pem.clone-1"]),
            new ServiceReport("systemd", "restarted", "active/running", "/u", null, "on", "active/running"),
            new ApiReport("127.0.0.1:8384"),
            "tcp://127.0.0.1:22000",
            new LaptopReport("LAPTOP", "dynamic"),
            true,
            ["config.xml <was> unreadable: `é`"],
            new Dictionary<string, long> { ["totalMs"] = 14 });

        var back = RoundTrip(setup, ContractJsonContext.Wire.SetupResult, out var json);

        Assert.DoesNotContain("fallbackReason", json, StringComparison.Ordinal);
        Assert.Contains("config.xml <was> unreadable: `é`", json, StringComparison.Ordinal);
        Assert.Equal("regenerated", back.Identity.Action);
        Assert.Equal(["/h/cert.pem.clone-1"], back.Identity.Backups);
        Assert.Equal(setup.Supervisor, back.Supervisor);
        Assert.Equal(14, back.Timings["totalMs"]);
    }

    [Fact]
    public void Status_document_round_trips()
    {
        var status = new StatusResult(
            false,
            "DEVICE",
            "v1.29.5",
            new ServiceStatusReport("systemd", true, true, "active/running", 42),
            true,
            "127.0.0.1:8384",
            "LAPTOP",
            true,
            [new FolderStatusReport("code", "/home/dev/code", "error", "folder marker missing", "mkdir ~/code/.stfolder")],
            new InotifyReport(10, 100, 1, 128, "sysctl fs.inotify.max_user_watches=524288"),
            ["folder code stopped"]);

        var back = RoundTrip(status, ContractJsonContext.Wire.StatusResult, out _);

        Assert.Equal(status.Folders[0], Assert.Single(back.Folders));
        Assert.Equal(status.Inotify, back.Inotify);
        Assert.Equal(status.Service, back.Service);
        Assert.Equal(status.Problems, back.Problems);
    }

    [Fact]
    public void Error_document_round_trips()
    {
        var error = new ErrorDocument(new ErrorBody("checksum-mismatch", 26, "differs", "run again"));

        Assert.Equal(error, RoundTrip(error, ContractJsonContext.Wire.ErrorDocument, out _));
    }

    private static T RoundTrip<T>(T value, JsonTypeInfo<T> contract, out string json)
    {
        json = JsonSerializer.Serialize(value, contract);
        var back = JsonSerializer.Deserialize(json, contract)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, contract));
        return back;
    }

    private static void AssertSameBytes<T>(string sample, JsonTypeInfo<T> contract)
    {
        var text = Read(sample);
        var document = JsonSerializer.Deserialize(text, contract)!;

        Assert.Equal(text.TrimEnd('\n'), JsonSerializer.Serialize(document, contract));
    }

    private static string Read(string name, [CallerFilePath] string source = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(source)!, "Samples", name));
}
