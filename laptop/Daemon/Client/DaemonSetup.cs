using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Api;

namespace Thopter.Laptop.Daemon.Client;

/// <summary>
/// `init`'s last step: the daemon installed as a user service where the laptop has a service manager (systemd user
/// manager, launchd), else started detached; either way running this CLI's version with the new settings.
/// </summary>
public static class DaemonSetup
{
    public static async Task<JsonObject?> EnsureAsync(CommandContext context, bool noService, CancellationToken cancellationToken)
    {
        if (!context.Environment.UseDaemon)
        {
            return null;
        }

        var launcher = DaemonLauncher.For(context);
        var service = launcher.Service;
        var installed = !noService && await service.AvailableAsync(cancellationToken).ConfigureAwait(false);
        var changed = installed && await service.InstallAsync(context.Environment.SelfCommand, cancellationToken).ConfigureAwait(false);
        using var connection = await launcher.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await connection.Api.ReloadAsync(new ReloadRequest(), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken).ConfigureAwait(false);
        var version = await connection.Api.GetVersionAsync(new VersionRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var how = installed ? $"{service.Describe} ({context.Pretty(service.DefinitionPath)}{(changed ? string.Empty : ", unchanged")})"
            : noService ? "no user service (--no-service): commands start it when needed"
            : "no user service manager here: commands start it when needed";
        context.Say($"daemon:              running (pid {version.Pid}); {how}");
        return new JsonObject
        {
            ["pid"] = version.Pid,
            ["version"] = version.Version,
            ["socket"] = launcher.Paths.Socket,
            ["service"] = installed ? service.DefinitionPath : null,
            ["serviceChanged"] = changed,
        };
    }
}
