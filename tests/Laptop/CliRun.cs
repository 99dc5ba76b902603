using Thopter.Laptop.Cli;
using Thopter.Tests.Shared.Logging;

namespace Thopter.Tests.Laptop;

/// <summary>Runs `thopter` in-process with captured stdout/stderr against a given environment.</summary>
public static class CliRun
{
    public static async Task<CliResult> RunAsync(CliEnvironment environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // Logs land in stderr, where the process's console sink would put them.
        var exit = await ThopterCli.RunAsync(args, environment with { LogSink = new WriterLogSink(error) }, output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
