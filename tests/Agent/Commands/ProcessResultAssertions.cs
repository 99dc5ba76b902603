using Thopter.Shared.Processes;

namespace Thopter.Tests.Agent.Commands;

internal static class ProcessResultAssertions
{
    public static ProcessResult EnsureExit0(this ProcessResult result) =>
        result.Succeeded ? result : throw new InvalidOperationException($"exit {result.ExitCode}: {result.StandardError}");
}
