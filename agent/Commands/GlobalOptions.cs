using System.CommandLine;
using Thopter.Shared.Logging;

namespace Thopter.Agent.Commands;

/// <summary>Options every command understands (System.CommandLine "recursive" options on the root).</summary>
public sealed class GlobalOptions
{
    public GlobalOptions(string defaultSyncthingHome)
    {
        Home = new Option<string>("--home")
        {
            Description = $"SyncThing home directory (default {defaultSyncthingHome})",
            Recursive = true,
            DefaultValueFactory = _ => defaultSyncthingHome,
        };
        Home.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--home must not be empty");
            }
        });
    }

    public Option<string> Home { get; }

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "log debug detail to stderr",
        Recursive = true,
    };

    public Option<LogFormat> LogFormat { get; } = LogFormatOption.Create();
}
