using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Errors;

namespace Thopter.Laptop.Daemon.Client;

/// <summary>Tells the daemon that ~/.thopter.json changed (pair, unpair, init), starting it if need be.</summary>
public static class DaemonNotifier
{
    /// <summary>
    /// The change itself is done and saved: a daemon that cannot be reached only makes status stale, so this warns
    /// instead of failing the command. Returns the number of devboxes the daemon now serves, or null.
    /// </summary>
    public static async Task<int?> ReloadAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (!context.Environment.UseDaemon)
        {
            return null;
        }

        var launcher = DaemonLauncher.For(context);
        try
        {
            using var connection = await launcher.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var reply = await connection.Api.ReloadAsync(new ReloadRequest(), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken).ConfigureAwait(false);
            return reply.Devboxes;
        }
        catch (Exception error) when (error is ThopterException or Grpc.Core.RpcException or Shared.Timing.WaitTimeoutException && !cancellationToken.IsCancellationRequested)
        {
            context.Warn($"the thopter daemon did not take the change: {error.Message}", $"run `thopter sync daemon start`; its log: {launcher.LogHint}");
            return null;
        }
    }
}
