using System.Security.Cryptography;
using Thopter.Laptop.Daemon;
using Thopter.Shared.Processes;
using Thopter.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace Thopter.Tests.Scripts;

/// <summary>
/// scripts/install.sh as a user runs it: from a clean clone of this commit, into a temporary prefix. The installed
/// `thopter` and `thopter-agent` run, and the installed `thopter` finds the installed agent by itself and delivers it
/// through a transport (`env HOME=DIR`: this machine standing in for a devbox whose home is DIR).
/// </summary>
[Trait("Category", "Integration")]
public sealed class InstallScriptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Install_into_a_prefix_from_a_clean_clone_gives_a_thopter_that_runs_and_sends_its_own_agent()
    {
        using var temp = new TempDirectory();
        var clone = temp.Combine("clone");
        var prefix = temp.Combine("prefix");
        var runner = new ProcessRunner();
        (await Run(runner, new ProcessSpec("git", ["clone", "--quiet", "--no-hardlinks", RepositoryRoot(), clone]))).EnsureOk();

        var install = await Run(runner, new ProcessSpec(Path.Combine(clone, "scripts", "install.sh"), ["--prefix", prefix])
        {
            Timeout = TimeSpan.FromMinutes(45),
            Environment = new Dictionary<string, string?> { ["THOPTER_AGENT_BINARY"] = null },
        });
        output.WriteLine($"MEASURE scripts/install.sh from a clean clone: {install.Elapsed.TotalSeconds:0} s");

        install.EnsureOk();
        Assert.EndsWith("next: thopter sync init\n", install.StandardOutput, StringComparison.Ordinal);
        var thopter = Path.Combine(prefix, "bin", "thopter");
        var agent = Path.Combine(prefix, "lib", "thopter", "linux-x64", "thopter-agent");
        Assert.StartsWith(DaemonVersion.Current + "+", (await Run(runner, new ProcessSpec(thopter, ["--version"]))).EnsureOk().StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith(DaemonVersion.Current + "+", (await Run(runner, new ProcessSpec(agent, ["--version"]))).EnsureOk().StandardOutput, StringComparison.Ordinal);

        var devboxHome = temp.Combine("devbox-home");
        Directory.CreateDirectory(devboxHome);
        var sent = await Run(runner, new ProcessSpec(thopter, ["sync", "prepare-snapshot", "local", "--transport", $"env HOME={devboxHome}"])
        {
            Environment = new Dictionary<string, string?> { ["THOPTER_AGENT_BINARY"] = null, ["HOME"] = temp.Combine("laptop-home") },
        });

        // Delivered and verified; the agent's prepare-snapshot then refuses a home that was never set up (exit 8).
        var delivered = Path.Combine(devboxHome, ".local", "bin", "thopter-agent");
        Assert.True(File.Exists(delivered), sent.ToString());
        Assert.Equal(Sha256(agent), Sha256(delivered));
        Assert.Contains("nothing to prepare", sent.StandardError, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> Run(ProcessRunner runner, ProcessSpec spec) => await runner.RunAsync(spec);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Thopter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Thopter.sln not found above " + AppContext.BaseDirectory);
    }
}

internal static class ProcessResultChecks
{
    public static ProcessResult EnsureOk(this ProcessResult result) =>
        result.Succeeded ? result : throw new Xunit.Sdk.XunitException($"exit {result.ExitCode}\n--- stdout\n{result.StandardOutput}\n--- stderr\n{result.StandardError}");
}
