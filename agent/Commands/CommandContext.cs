using Microsoft.Extensions.Logging;
using Thopter.Shared.Logging;

namespace Thopter.Agent.Commands;

/// <summary>What one invocation hands a command: its writers (stdout is for the one JSON document), logging and the global options.</summary>
public sealed class CommandContext(TextWriter output, TextWriter error, Lazy<ILoggerFactory> logs, string syncthingHome, bool verbose, LogFormat logFormat)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>SyncThing's home directory (--home).</summary>
    public string SyncthingHome { get; } = syncthingHome;

    public bool Verbose { get; } = verbose;

    /// <summary>--log-format, for commands that start a host of their own (accelerate).</summary>
    public LogFormat LogFormat { get; } = logFormat;

    /// <summary>Created on first use, so commands that never log (device-id) start faster.</summary>
    public ILogger Logger(string category) => logs.Value.CreateLogger(category);
}
