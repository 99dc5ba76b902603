using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;
using Thopter.Shared.Timing;

namespace Thopter.Laptop.Cli;

/// <summary>
/// Runs a command body and turns every failure into its exit code plus the two-line
/// "error: reason / fix: what to do" on stderr (or one JSON object with --json).
/// </summary>
public static class CommandRunner
{
    public static void SetAction(Command command, GlobalOptions options, CliEnvironment environment, Func<CommandContext, CancellationToken, Task<int>> body)
    {
        command.SetAction((parse, cancellationToken) => RunAsync(new CommandContext(parse, options, environment), body, cancellationToken));
    }

    public static async Task<int> RunAsync(CommandContext context, Func<CommandContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            var failure = ToFailure(error, cancellationToken);
            if (failure.ExitCode == ExitCodes.InternalError)
            {
                context.Log.Error(error, "unexpected error");
            }

            WriteError(context.Error, context.Json, failure);
            return failure.ExitCode;
        }
    }

    public static void WriteError(TextWriter error, bool json, CliFailure failure)
    {
        if (json)
        {
            error.WriteLine(CommandContext.ToJson(new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["code"] = ExitCodes.NameOf(failure.ExitCode),
                    ["exitCode"] = failure.ExitCode,
                    ["reason"] = failure.Message,
                    ["fix"] = failure.Fix,
                },
            }));
            return;
        }

        error.WriteLine($"error: {OneLine(failure.Message)}");
        error.WriteLine($"  fix: {OneLine(failure.Fix)}");
    }

    public static CliFailure ToFailure(Exception error, CancellationToken cancellationToken) => error switch
    {
        CliFailure failure => failure,
        SyncthingApiException api => new CliFailure(ExitCodeOf(api.Kind), api.Message, api.Fix, api),
        ThopterConfigException config => new CliFailure(ExitCodes.ConfigCorrupt, config.Message, config.Fix, config),
        WaitTimeoutException timeout => new CliFailure(ExitCodes.Timeout, timeout.Message, "check the state described above and retry; a slow network may need more time", timeout),
        UnauthorizedAccessException or IOException => FileSystemFailure.From(error),
        OperationCanceledException when cancellationToken.IsCancellationRequested =>
            new CliFailure(ExitCodes.Cancelled, "interrupted", "run the command again; it is safe to repeat", error),
        _ => new CliFailure(ExitCodes.InternalError, $"unexpected {error.GetType().Name}: {error.Message}", "this is a bug in thopter: run again with --verbose and report the output", error),
    };

    private static int ExitCodeOf(SyncthingApiErrorKind kind) => kind switch
    {
        SyncthingApiErrorKind.Unreachable => ExitCodes.SyncthingUnreachable,
        SyncthingApiErrorKind.Unauthorized => ExitCodes.SyncthingUnauthorized,
        SyncthingApiErrorKind.Timeout => ExitCodes.Timeout,
        _ => ExitCodes.SyncthingError,
    };

    // Multi-line details (a wait's log tail) are joined so the error stays one line.
    private static string OneLine(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
