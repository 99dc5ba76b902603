using System.CommandLine;
using Thopter.Shared.Logging;

namespace Thopter.Agent.Commands;

/// <summary>--log-format for the commands (a global option) and for `run`, which has its own option set.</summary>
public static class LogFormatOption
{
    public static Option<LogFormat> Create() => new("--log-format")
    {
        Description = "log lines on stderr as text or compact JSON (one object per line)",
        Recursive = true,
        DefaultValueFactory = _ => LogFormat.Text,
    };
}
