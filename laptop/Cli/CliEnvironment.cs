using Thopter.Shared.Processes;

namespace Thopter.Laptop.Cli;

/// <summary>
/// What a command may know about the outside world, passed in so tests run commands in-process
/// against a temporary HOME and, where no real SyncThing can produce a case, a fake HTTP handler.
/// </summary>
public sealed class CliEnvironment
{
    /// <summary>The user's home directory (HOME).</summary>
    public required string Home { get; init; }

    /// <summary>Transport for SyncThing's REST API; null means real sockets.</summary>
    public HttpMessageHandler? SyncthingHandler { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Runs programs (systemctl for `sync watch --install-service`); tests record the calls instead.</summary>
    public IProcessRunner Processes { get; init; } = new ProcessRunner();

    /// <summary>What starts this CLI again, for a service that runs it: the apphost, or `dotnet thopter.dll`.</summary>
    public IReadOnlyList<string> SelfCommand { get; init; } = DefaultSelfCommand();

    public static CliEnvironment FromProcess() => new()
    {
        Home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home
            ? home
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
    };

    private static IReadOnlyList<string> DefaultSelfCommand()
    {
        var process = Environment.ProcessPath ?? "thopter";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(CliEnvironment).Assembly.Location]
            : [process];
    }
}
