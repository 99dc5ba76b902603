using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Thopter.Laptop.Cli;

/// <summary>Serilog to stderr: warnings by default, everything with --verbose. Nothing logged carries the API key.</summary>
public static class CliLogging
{
    private const string Template = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}";

    public static ILogger Create(TextWriter error, bool verbose) =>
        new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Warning)
            .WriteTo.Sink(new WriterSink(error))
            .CreateLogger();

    /// <summary>Writes to the invocation's stderr writer (a StringWriter in tests), not the process's console.</summary>
    private sealed class WriterSink(TextWriter writer) : ILogEventSink
    {
        private readonly MessageTemplateTextFormatter formatter = new(Template, CultureInfo.InvariantCulture);

        public void Emit(LogEvent logEvent)
        {
            lock (writer)
            {
                formatter.Format(logEvent, writer);
                writer.Flush();
            }
        }
    }
}
