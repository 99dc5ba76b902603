using Xunit;
using Thopter.Shared.Processes;

namespace Thopter.Tests.Shared.Processes;

public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner runner = new();

    [Fact]
    public async Task Captures_exit_code_stdout_and_stderr_separately()
    {
        var result = await runner.RunAsync(new("sh", ["-c", "echo out; echo err >&2; exit 7"]));

        Assert.Equal(7, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
    }

    [Fact]
    public async Task Arguments_are_passed_verbatim_without_a_shell()
    {
        var result = await runner.RunAsync(new("printf", ["%s|", "a b", "$HOME", "'q'"]));

        Assert.Equal("a b|$HOME|'q'|", result.StandardOutput);
    }

    [Fact]
    public async Task Standard_input_environment_and_working_directory_are_applied()
    {
        var spec = new ProcessSpec("sh", ["-c", "cat; echo \" $THOPTER_X $(pwd)\""])
        {
            StandardInput = "in",
            Environment = new Dictionary<string, string?> { ["THOPTER_X"] = "set" },
            WorkingDirectory = "/tmp",
        };

        var result = await runner.RunAsync(spec);

        Assert.Equal("in set /tmp\n", result.StandardOutput);
    }

    [Fact]
    public async Task Input_that_the_program_ignores_does_not_fail_the_run()
    {
        var spec = new ProcessSpec("true", []) { StandardInput = new string('x', 1 << 20) };

        var result = await runner.RunAsync(spec);

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Timeout_kills_the_process_tree_and_says_so()
    {
        using var dir = new TempDirectory();
        var marker = dir.Combine("survived");
        var spec = new ProcessSpec("sh", ["-c", $"sleep 2 && touch {marker}"]) { Timeout = TimeSpan.FromMilliseconds(200) };

        var error = await Assert.ThrowsAsync<TimeoutException>(() => runner.RunAsync(spec));

        Assert.Contains("did not finish within 0.2 s", error.Message, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.False(File.Exists(marker), "the child's subprocess outlived the timeout");
    }

    [Fact]
    public async Task A_background_grandchild_holding_stdout_cannot_hang_the_run()
    {
        var spec = new ProcessSpec("sh", ["-c", "sleep 30 & echo started"]) { Timeout = TimeSpan.FromMilliseconds(500) };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(() => runner.RunAsync(spec));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Caller_cancellation_is_cancellation_not_a_timeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(new("sleep", ["5"]), cts.Token));
    }

    [Fact]
    public async Task Missing_program_fails_loudly()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => runner.RunAsync(new("/nonexistent/thopter-no-such-program", [])));
    }

    [Fact]
    public async Task A_program_printing_past_the_bound_is_stopped_and_named_instead_of_read_whole()
    {
        var error = await Assert.ThrowsAsync<ProcessOutputLimitException>(() => runner.RunAsync(
            new("sh", ["-c", "head -c 300000000 /dev/zero | tr '\\0' x; echo done"]) { MaxOutputChars = 1024 * 1024 }));

        Assert.Equal("stdout", error.Stream);
        Assert.Contains("printed more than 1 MiB of text on stdout", error.Message, StringComparison.Ordinal);
    }
}
