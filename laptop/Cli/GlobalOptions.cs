using System.CommandLine;
using Thopter.Shared.Logging;

namespace Thopter.Laptop.Cli;

/// <summary>Options every command accepts (Recursive: valid after any subcommand).</summary>
public sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print results as JSON on stdout (errors as JSON on stderr)",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Path of the thopter settings file (default: ~/.thopter.json)",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log what thopter does (to stderr)",
        Recursive = true,
    };

    public Option<LogFormat> LogFormat { get; } = new("--log-format")
    {
        Description = "Log lines on stderr as text or compact JSON (one object per line)",
        Recursive = true,
        DefaultValueFactory = _ => Thopter.Shared.Logging.LogFormat.Text,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Json);
        root.Options.Add(Config);
        root.Options.Add(Verbose);
        root.Options.Add(LogFormat);
    }
}
