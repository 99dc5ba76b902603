using Thopter.Agent;
using Thopter.Agent.Tunnel;
using Thopter.Shared.Seed;
using Thopter.Tests.Agent.Commands;
using Xunit;

namespace Thopter.Tests.Agent.Seed;

/// <summary>`thopter-agent pack` in-process: stdout is the stream and nothing else; a failure is one stderr line and its own exit code.</summary>
public sealed class PackCommandTests : IDisposable
{
    private readonly AgentRun run = new();
    private readonly MemoryStream stdout = new();

    public PackCommandTests() =>
        run.Dependencies = run.Dependencies with { OpenStdio = () => new TunnelStdio(new MemoryStream(), stdout, () => { }) };

    public void Dispose()
    {
        run.Dispose();
        stdout.Dispose();
    }

    [Fact]
    public async Task Stdout_carries_exactly_the_seed_stream_of_home_NAME()
    {
        var folder = Directory.CreateDirectory(Path.Combine(run.UserHome, "code")).FullName;
        File.WriteAllText(Path.Combine(folder, "a.txt"), "a");

        var outcome = await run.RunAsync("pack", "--folder", "code");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(string.Empty, outcome.Output);
        var reader = await SeedReader.StartAsync(new MemoryStream(stdout.ToArray()), default);
        Assert.Equal("a.txt", (await reader.NextAsync(default))!.Path);
        Assert.True(await reader.CopyContentAsync(null, default));
        Assert.Null(await reader.NextAsync(default));
    }

    [Fact]
    public async Task A_missing_folder_is_one_stderr_line_with_exit_60_and_no_stream()
    {
        var outcome = await run.RunAsync("pack", "--folder", "code");

        Assert.Equal(ExitCodes.SeedFolderMissing.Value, outcome.ExitCode);
        Assert.Equal(string.Empty, outcome.Output);
        Assert.Empty(stdout.ToArray());
        var line = Assert.Single(outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("seed-folder-missing", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_name_that_is_a_path_is_refused()
    {
        var outcome = await run.RunAsync("pack", "--folder", "../etc");

        Assert.Equal(ExitCodes.InvalidFolderName.Value, outcome.ExitCode);
        Assert.Empty(stdout.ToArray());
    }
}
