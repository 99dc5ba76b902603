using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Thopter.Laptop.Agent;
using Thopter.Laptop.Transport;
using Thopter.Shared.Streams;

namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>
/// One devbox's 127.0.0.1 listener: every connection the laptop's SyncThing opens runs
/// <c>&lt;transport&gt; thopter-agent tunnel</c> and is spliced to the child's stdin/stdout both ways, with each
/// end-of-stream passed on as a half-close; when either side breaks, both are closed and the child is ended.
/// </summary>
public sealed class TunnelListener(DevboxTransport transport, IReadOnlyList<string> agentTunnel, ITunnelProcesses processes, TunnelHealth health, ILogger log)
{
    /// <summary>The devbox command of a tunnel: the recorded agent (else thopter-agent on the PATH) with <c>tunnel</c>.</summary>
    public static IReadOnlyList<string> AgentTunnel(string? agentPath) => [agentPath ?? AgentClient.Binary, "tunnel"];

    /// <summary>How long a tunnel outlives its child: enough for the child's last bytes to reach the laptop side.</summary>
    public static readonly TimeSpan ChildDrain = TimeSpan.FromSeconds(1);

    /// <summary>Binds 127.0.0.1:<paramref name="port"/>; null when something else holds it.</summary>
    public static TcpListener? TryBind(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            return null;
        }
    }

    public async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(listener.Stop);
        var carrying = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                carrying.RemoveAll(t => t.IsCompleted);
                carrying.Add(CarryAsync(socket, cancellationToken));
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException && cancellationToken.IsCancellationRequested)
        {
            // Reload or shutdown: the open tunnels end with the token too.
        }

        await Task.WhenAll(carrying).ConfigureAwait(false);
    }

    /// <summary>Runs one tunnel to its end; the devbox answered when it sent any byte (SyncThing's TLS hello).</summary>
    public async Task<TunnelOutcome> CarryAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var _ = socket;
        socket.NoDelay = true;
        health.Opened();
        var spec = transport.SpecFor(agentTunnel, Timeout.InfiniteTimeSpan);
        ITunnelProcess child;
        try
        {
            child = processes.Start(spec);
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            var failed = new TunnelOutcome(false, $"cannot start `{transport.Describe}`: {error.Message}");
            health.Closed(failed);
            return failed;
        }

        using (child)
        using (var childGone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // A child that has exited takes nothing more: once its last output has drained, the splice ends even
            // while the laptop side stays open.
            var watcher = EndAfterExitAsync(child, childGone);
            await using var network = new NetworkStream(socket, ownsSocket: false);
            var splice = await StreamSplice.RunAsync(
                new StreamEnd("laptop syncthing", network, network, () => socket.Shutdown(SocketShutdown.Send)),
                new StreamEnd("devbox", child.Output, child.Input, child.Input.Dispose),
                childGone.Token).ConfigureAwait(false);
            socket.Close();

            // After a clean close both ways the child is exiting by itself; a broken tunnel's child is ended at once.
            if (splice.Failure is not null || await Task.WhenAny(child.Exited, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false) != child.Exited)
            {
                child.Kill();
            }

            var exit = await child.Exited.ConfigureAwait(false);
            var reached = splice.SecondToFirst > 0;
            var why = reached ? splice.Failure : $"`{transport.Describe} {string.Join(' ', agentTunnel)}` exit {exit}: {(child.LastErrorLine.Length > 0 ? child.LastErrorLine : "no output")}";
            var outcome = new TunnelOutcome(reached, why);
            log.LogInformation("tunnel to {Devbox} (pid {Pid}) closed: {Up} bytes up, {Down} down, {Why}", transport.Devbox, child.Pid, splice.FirstToSecond, splice.SecondToFirst, why ?? "clean close");
            await watcher.ConfigureAwait(false);
            health.Closed(outcome);
            return outcome;
        }
    }

    private static async Task EndAfterExitAsync(ITunnelProcess child, CancellationTokenSource splice)
    {
        await child.Exited.ConfigureAwait(false);
        splice.CancelAfter(ChildDrain);
    }
}

/// <summary>How one tunnel ended: whether the devbox's SyncThing answered through it, and what broke it (null for a clean close).</summary>
public sealed record TunnelOutcome(bool Reached, string? Failure);
