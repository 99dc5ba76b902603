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

    public static CliEnvironment FromProcess() => new()
    {
        Home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home
            ? home
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
    };
}
