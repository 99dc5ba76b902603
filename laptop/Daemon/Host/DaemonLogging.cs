using Serilog;
using Serilog.Core;
using Serilog.Events;
using Thopter.Shared.Logging;

namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// The daemon's logger: the one setup in shared/Logging (stderr, which is the journal under systemd) or, when started
/// without a service manager, the same lines in a rotated file in ~/.local/state/thopter. Nothing it logs carries
/// SyncThing's API key.
/// </summary>
public static class DaemonLogging
{
    private const long FileSizeLimit = 10 * 1024 * 1024;

    /// <param name="sink">Where events go instead of stderr (tests); ignored when <paramref name="logFile"/> is set.</param>
    public static Logger Create(string? logFile, bool verbose, LogFormat format, ILogEventSink? sink)
    {
        // A long-running service says what it does (scans, reconnects) by default, unlike a one-shot command.
        var level = ThopterLog.Level(verbose, LogEventLevel.Information);
        if (logFile is null)
        {
            return ThopterLog.Create(level, format, sink);
        }

        // Disposed with the logger that writes to it.
        var file = new LoggerConfiguration()
            .WriteTo.File(ThopterLog.FormatterFor(format), logFile, fileSizeLimitBytes: FileSizeLimit, rollOnFileSizeLimit: true, retainedFileCountLimit: 5)
            .CreateLogger();
        return ThopterLog.Create(level, format, file);
    }
}
