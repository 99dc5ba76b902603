using System.CommandLine;
using System.Text.Json.Nodes;

namespace Thopter.Laptop.Cli;

/// <summary>
/// Runs a <see cref="LaptopCommand"/>: builds its <see cref="CommandContext"/> from the global options and the
/// environment, and turns every failure (through <see cref="ErrorMapper"/>) into its exit code plus the two-line
/// "error: reason / fix: what to do" on stderr (or one JSON object with --json). Nothing else reports exceptions.
/// </summary>
public sealed class CommandRunner(GlobalOptions options, CliEnvironment environment)
{
    /// <summary>Binds every <see cref="LaptopCommand"/> in the tree under <paramref name="command"/>.</summary>
    public void BindAll(Command command)
    {
        if (command is LaptopCommand laptopCommand)
        {
            laptopCommand.SetAction((parse, cancellationToken) => RunAsync(laptopCommand, parse, cancellationToken));
        }

        foreach (var subcommand in command.Subcommands)
        {
            BindAll(subcommand);
        }
    }

    public async Task<int> RunAsync(LaptopCommand command, ParseResult parse, CancellationToken cancellationToken)
    {
        var context = new CommandContext(parse, options, environment);
        try
        {
            return await command.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            var failure = ErrorMapper.Map(error, cancellationToken);
            if (failure.ExitCode == ExitCodes.InternalError)
            {
                context.Log.Error(error, "unexpected error");
            }

            WriteError(context.Error, context.Json, failure);
            return failure.ExitCode;
        }
    }

    public static void WriteError(TextWriter error, bool json, CliError failure)
    {
        if (json)
        {
            error.WriteLine(CommandContext.ToJson(new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["code"] = ExitCodes.NameOf(failure.ExitCode),
                    ["exitCode"] = failure.ExitCode,
                    ["reason"] = failure.Reason,
                    ["fix"] = failure.Fix,
                },
            }));
            return;
        }

        error.WriteLine($"error: {OneLine(failure.Reason)}");
        error.WriteLine($"  fix: {OneLine(failure.Fix)}");
    }

    // Multi-line details (a wait's log tail) are joined so the error stays one line.
    private static string OneLine(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
