using Serilog;
using Serilog.Events;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// The daemon's Serilog: stderr (the journal, under systemd) or, when started without a service manager, a rotated
/// file in ~/.local/state/thopter. Nothing it logs carries SyncThing's API key.
/// </summary>
public static class DaemonLogging
{
    private const string Template = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3} [{SourceContext}] {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger Create(string? logFile, bool verbose)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Grpc", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        return (logFile is null
                ? configuration.WriteTo.Console(outputTemplate: Template, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
                : configuration.WriteTo.File(logFile, outputTemplate: Template, fileSizeLimitBytes: 10 * 1024 * 1024, rollOnFileSizeLimit: true, retainedFileCountLimit: 5, formatProvider: System.Globalization.CultureInfo.InvariantCulture))
            .CreateLogger();
    }
}
