using System.Text.Json;
using Serilog.Events;
using Thopter.Shared.Logging;
using Xunit;

namespace Thopter.Tests.Shared.Logging;

public sealed class ThopterLogTests
{
    [Fact]
    public void Text_lines_carry_a_utc_time_the_level_the_source_and_scalar_properties_unquoted()
    {
        using var writer = new StringWriter();
        using (var logger = ThopterLog.Create(LogEventLevel.Information, LogFormat.Text, new WriterLogSink(writer)))
        {
            logger.ForContext("SourceContext", "setup").Information("identity {Action} at {Uri}", "kept", new Uri("http://127.0.0.1:8384/"));
            logger.Debug("hidden below the minimum");
        }

        var line = Assert.Single(writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INF setup: identity kept at http://127.0.0.1:8384/$", line);
    }

    [Fact]
    public void Json_format_is_one_compact_json_object_per_event()
    {
        var formatter = ThopterLog.FormatterFor(LogFormat.Json);
        using var writer = new StringWriter();
        using (var logger = ThopterLog.Create(LogEventLevel.Debug, LogFormat.Json, new FormattingSink(formatter, writer)))
        {
            logger.Warning("retrying in {Delay} ms", 1000);
            logger.Debug("scanned {Count} paths", 3);
        }

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("retrying in {Delay} ms", first.RootElement.GetProperty("@mt").GetString());
        Assert.Equal("Warning", first.RootElement.GetProperty("@l").GetString());
        Assert.Equal(1000, first.RootElement.GetProperty("Delay").GetInt32());
    }

    [Fact]
    public void Journal_lines_start_with_the_priority_journald_reads()
    {
        var formatter = ThopterLog.FormatterFor(LogFormat.Text, journal: true);
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Warning, null, new Serilog.Parsing.MessageTemplateParser().Parse("slow"),
            [new LogEventProperty("SyslogPriority", new ScalarValue(4)), new LogEventProperty("SourceContext", new ScalarValue("accelerate"))]);
        using var writer = new StringWriter();

        formatter.Format(logEvent, writer);

        Assert.Equal("<4>accelerate: slow" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void Stderr_of_a_test_run_is_not_the_journal()
    {
        Assert.False(JournalStream.IsStderr());
    }

    [Theory]
    [InlineData(true, LogEventLevel.Debug)]
    [InlineData(false, LogEventLevel.Warning)]
    public void Verbose_shows_debug_detail(bool verbose, LogEventLevel expected)
    {
        Assert.Equal(expected, ThopterLog.Level(verbose, LogEventLevel.Warning));
    }

    private sealed class FormattingSink(Serilog.Formatting.ITextFormatter formatter, TextWriter writer) : Serilog.Core.ILogEventSink
    {
        public void Emit(LogEvent logEvent) => formatter.Format(logEvent, writer);
    }
}
