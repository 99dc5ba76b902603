using Serilog.Core;
using Serilog.Events;
using Thopter.Shared.Logging;

namespace Thopter.Tests.Shared.Logging;

/// <summary>
/// Test-only: renders log events as the process's stderr would show them (text format) into a test's writer, so
/// in-process runs can read their logs. Production has no such sink: events go to Serilog's console sink.
/// </summary>
public sealed class WriterLogSink(TextWriter writer) : ILogEventSink
{
    private readonly Serilog.Formatting.ITextFormatter formatter = ThopterLog.FormatterFor(LogFormat.Text);

    public void Emit(LogEvent logEvent)
    {
        lock (writer)
        {
            formatter.Format(logEvent, writer);
        }
    }
}
