using System.Globalization;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Thopter.Shared.Logging;

/// <summary>
/// The one logging setup of both binaries (the agent's commands and services, the laptop's commands): Serilog to
/// stderr, never stdout (the agent's stdout is its JSON document). Properties are scalars only: under trimming
/// Serilog cannot destructure objects, and nothing logged may carry a secret (API key, private key).
/// </summary>
public static class ThopterLog
{
    public const string TextTemplate = "{UtcTimestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Level:u3} {SourceContext}: {Message:l}{NewLine}{Exception}";

    /// <summary>journald stamps each line itself and reads its priority from the prefix.</summary>
    public const string JournalTemplate = "<{" + SyslogPriority.PropertyName + "}>{SourceContext}: {Message:l}{NewLine}{Exception}";

    /// <param name="sink">Where events go instead of the process's stderr: tests pass one that captures them.</param>
    public static Logger Create(LogEventLevel minimum, LogFormat format, ILogEventSink? sink = null)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            // The generic host's own chatter (lifetime, options) is noise next to what the agent says.
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            // Likewise gRPC's per-call lines in the laptop daemon.
            .MinimumLevel.Override("Grpc", LogEventLevel.Warning);
        if (sink is not null)
        {
            return configuration.WriteTo.Sink(sink).CreateLogger();
        }

        var journal = format == LogFormat.Text && JournalStream.IsStderr();
        if (journal)
        {
            configuration.Enrich.With<SyslogPriority>();
        }

        return configuration.WriteTo.Console(FormatterFor(format, journal), standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger();
    }

    /// <summary>The same logger behind Microsoft.Extensions.Logging's interface, for code written against ILogger.</summary>
    public static ILoggerFactory CreateFactory(LogEventLevel minimum, LogFormat format, ILogEventSink? sink = null) =>
        new SerilogLoggerFactory(Create(minimum, format, sink), dispose: true);

    /// <summary>What a line looks like: compact JSON, or text (prefixed with its priority when it goes to the journal).</summary>
    public static ITextFormatter FormatterFor(LogFormat format, bool journal = false) => format switch
    {
        LogFormat.Json => new CompactJsonFormatter(),
        _ => new MessageTemplateTextFormatter(journal ? JournalTemplate : TextTemplate, CultureInfo.InvariantCulture),
    };

    /// <summary>--verbose shows debug detail; otherwise <paramref name="quiet"/> and above.</summary>
    public static LogEventLevel Level(bool verbose, LogEventLevel quiet) => verbose ? LogEventLevel.Debug : quiet;
}
