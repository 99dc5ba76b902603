using System.CommandLine;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using Thopter.Agent.Output;
using Thopter.Shared.Logging;

namespace Thopter.Agent.Commands;

/// <summary>
/// Runs an <see cref="AgentCommand"/>: builds its <see cref="CommandContext"/> from the global options and the invocation's
/// writers, and turns any exception into the error document (stdout JSON, or one stderr line for bare-output commands)
/// plus its exit code. Nothing else in the agent catches exceptions for reporting.
/// </summary>
public sealed class CommandRunner(AgentDependencies dependencies, GlobalOptions globals)
{
    public void Bind(AgentCommand command) => command.SetAction((parse, ct) => RunAsync(command, parse, ct));

    public async Task<int> RunAsync(AgentCommand command, ParseResult parse, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var verbose = parse.GetValue(globals.Verbose);
        var format = parse.GetValue(globals.LogFormat);
        var logs = new Lazy<ILoggerFactory>(() => ThopterLog.CreateFactory(ThopterLog.Level(verbose, LogEventLevel.Information), format, dependencies.LogSink));
        var context = new CommandContext(output, error, logs, Path.GetFullPath(parse.GetValue(globals.Home)!), verbose, format);
        try
        {
            return await command.ExecuteAsync(parse, context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            var mapped = ErrorMapper.Map(failure);
            if (mapped.Code == ExitCodes.Internal)
            {
                context.Logger(command.Name).LogError(failure, "{Command} failed unexpectedly", command.Name);
            }
            else if (verbose)
            {
                context.Logger(command.Name).LogDebug(failure, "{Command} failed", command.Name);
            }

            Report(command.BareOutput, output, error, mapped);
            return mapped.Code.Value;
        }
        finally
        {
            if (logs.IsValueCreated)
            {
                logs.Value.Dispose();
            }
        }
    }

    public static void Report(bool bareOutput, TextWriter output, TextWriter error, AgentError mapped)
    {
        if (bareOutput)
        {
            error.WriteLine($"thopter-agent: {mapped.Message} (fix: {mapped.Fix}) [{mapped.Code.Name}, exit {mapped.Code.Value}]");
            error.Flush();
        }
        else
        {
            JsonOutput.WriteError(output, mapped.Code, mapped.Message, mapped.Fix);
        }
    }
}
