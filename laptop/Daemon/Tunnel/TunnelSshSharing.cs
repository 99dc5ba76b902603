using Thopter.Laptop.Daemon.Host;
using Thopter.Laptop.Transport;
using Thopter.Shared.Processes;

namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>
/// Gives a devbox's ssh transport the daemon's connection sharing (<see cref="SshSharing"/>) unless the user's ssh
/// configuration has its own: asks <c>ssh -G</c> with the prefix's words for the effective configuration, and creates
/// the private (0700) directory the control sockets live in. Other transports, and an ssh that cannot answer, are
/// returned unchanged.
/// </summary>
public static class TunnelSshSharing
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public static async Task<(DevboxTransport Transport, string? Reason)> ApplyAsync(DevboxTransport transport, IProcessRunner runner, string controlDirectory, CancellationToken cancellationToken)
    {
        if (!transport.IsSsh)
        {
            return (transport, null);
        }

        ProcessResult result;
        try
        {
            result = await runner.RunAsync(new ProcessSpec(transport.Prefix[0], ["-G", .. transport.Prefix.Skip(1)]) { Timeout = AskTimeout, MaxOutputChars = 1024 * 1024 }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or System.ComponentModel.Win32Exception or ProcessOutputLimitException)
        {
            return (transport, $"no connection sharing: `{transport.Prefix[0]} -G` failed ({error.Message})");
        }

        if (!result.Succeeded)
        {
            return (transport, $"no connection sharing: `{transport.Prefix[0]} -G` exit {result.ExitCode}: {DevboxText.FirstLine(result.StandardError) ?? "no output"}");
        }

        var decision = SshSharing.Decide(transport.Prefix, result.StandardOutput, controlDirectory);
        if (decision.Options.Count == 0)
        {
            return (transport, $"no connection sharing: {decision.Reason}");
        }

        PrivateDirectory.Ensure(controlDirectory);
        return (transport.WithSshOptions(decision.Options), decision.Reason);
    }
}
