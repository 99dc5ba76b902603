using Thopter.Shared.Processes;

namespace Thopter.Tests.Harness.Docker;

/// <summary>The docker CLI behind the process seam; a failed command throws with its stderr.</summary>
public sealed class DockerCli(IProcessRunner runner, string executable = "docker")
{
    public IProcessRunner Runner { get; } = runner;

    /// <summary>Runs docker and returns the result whatever the exit code.</summary>
    public Task<ProcessResult> TryRunAsync(IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var spec = new ProcessSpec(executable, arguments.ToList())
        {
            StandardInput = standardInput,
            Timeout = timeout ?? TimeSpan.FromMinutes(5),
        };
        return Runner.RunAsync(spec, cancellationToken);
    }

    /// <summary>Runs docker and returns its trimmed stdout; a non-zero exit throws <see cref="DockerCommandException"/>.</summary>
    public async Task<string> RunAsync(IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        var result = await TryRunAsync(list, standardInput, timeout, cancellationToken);
        return result.Succeeded ? result.StandardOutput.Trim() : throw new DockerCommandException(list, result);
    }

    public Task<string> RunAsync(params string[] arguments) => RunAsync(arguments, null, null, default);
}

public sealed class DockerCommandException(IReadOnlyList<string> arguments, ProcessResult result)
    : Exception($"docker {string.Join(' ', arguments.Take(6))}{(arguments.Count > 6 ? " ..." : string.Empty)} exited {result.ExitCode}: {result.StandardError.Trim()}")
{
    public ProcessResult Result { get; } = result;
}
