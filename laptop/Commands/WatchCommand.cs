using System.CommandLine;
using System.Text.Json.Nodes;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Client;

namespace Thopter.Laptop.Commands;

/// <summary>
/// `thopter sync watch`, deprecated: the daemon runs the accelerator now. Kept so old scripts and units keep
/// working: it says so and makes sure the daemon runs.
/// </summary>
public sealed class WatchCommand() : LaptopCommand("watch", "Deprecated: the daemon does this now; makes sure it runs")
{
    public const string Deprecation = "`thopter sync watch` is deprecated: the thopter daemon accelerates the synced folder now (`thopter sync init` installs it; `thopter sync daemon status` shows it)";

    public override Task<int> ExecuteAsync(CommandContext context, CancellationToken cancellationToken) => RunAsync(context, cancellationToken);

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        context.Warn(Deprecation, "remove `thopter sync watch` from your scripts and any thopter-watch.service you set up: `thopter sync init` is enough");
        var launcher = DaemonLauncher.For(context);
        using var connection = await launcher.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var version = await connection.Api.GetVersionAsync(new VersionRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Say($"the thopter daemon {version.Version} (pid {version.Pid}) accelerates the synced folder");
        context.Result(new JsonObject { ["deprecated"] = true, ["daemonPid"] = version.Pid, ["daemonVersion"] = version.Version });
        return ExitCodes.Ok;
    }
}
