using Serilog.Core;
using Serilog.Events;

namespace Thopter.Shared.Logging;

/// <summary>Adds the sd-daemon priority (3 error ... 7 debug) that journald reads from a line's <c>&lt;N&gt;</c> prefix.</summary>
internal sealed class SyslogPriority : ILogEventEnricher
{
    public const string PropertyName = "SyslogPriority";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var priority = logEvent.Level switch
        {
            LogEventLevel.Fatal => 2,
            LogEventLevel.Error => 3,
            LogEventLevel.Warning => 4,
            LogEventLevel.Information => 6,
            _ => 7,
        };
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(PropertyName, priority));
    }
}
