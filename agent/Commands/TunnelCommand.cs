using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Thopter.Agent.Setup;
using Thopter.Agent.Tunnel;
using Thopter.Shared.Config;
using Thopter.Shared.Streams;

namespace Thopter.Agent.Commands;

/// <summary>
/// <c>tunnel</c>: the devbox end of the laptop daemon's route. Connects to this devbox's SyncThing sync listener (from
/// config.xml in --home) and copies bytes between it and stdin/stdout until both directions have closed, passing each
/// end-of-stream on as a half-close, once it has made sure this home's SyncThing holds that listener (<see cref="ListenerOwner"/>).
/// stdout carries SyncThing's bytes only; a failure is one line on stderr.
/// </summary>
public sealed class TunnelCommand(AgentDependencies dependencies) : AgentCommand("tunnel", "carry one SyncThing sync connection over stdin/stdout (run by the laptop daemon through the transport)")
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public override bool BareOutput => true;

    public override async Task<int> ExecuteAsync(ParseResult parse, CommandContext context, CancellationToken cancellationToken)
    {
        var paths = new SetupPaths(dependencies.UserHome, context.SyncthingHome);
        using var socket = await ConnectAsync(ListenerEndpoints(paths), cancellationToken).ConfigureAwait(false);
        EnsureSyncthing(socket, paths.SyncthingHome);
        var (input, output, closeOutput) = dependencies.OpenStdio();
        await using (input.ConfigureAwait(false))
        await using (output.ConfigureAwait(false))
        {
            using var network = new NetworkStream(socket, ownsSocket: false);
            var outcome = await StreamSplice.RunAsync(
                new StreamEnd("laptop", input, output, closeOutput),
                new StreamEnd("syncthing", network, network, () => socket.Shutdown(SocketShutdown.Send)),
                cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (context.Verbose)
            {
                context.Logger(Name).LogDebug("tunnel closed: {ToSyncthing} bytes in, {ToLaptop} bytes out", outcome.FirstToSecond, outcome.SecondToFirst);
            }

            return outcome.Failure is { } failure
                ? throw new AgentException(ExitCodes.TunnelBroken, $"the tunnel broke: {failure}", "nothing to do: SyncThing dials again and the laptop daemon opens a new tunnel")
                : ExitCodes.Ok.Value;
        }
    }

    /// <summary>Refuses a listener that is not this home's SyncThing before a single byte of the laptop's goes to it.</summary>
    private void EnsureSyncthing(Socket socket, string syncthingHome)
    {
        var listener = (System.Net.IPEndPoint)socket.RemoteEndPoint!;
        if (dependencies.Listeners(syncthingHome).Problem(listener) is { } problem)
        {
            throw new AgentException(
                ExitCodes.TunnelNotSyncthing,
                $"the sync port from config.xml is not SyncThing's: {problem}",
                $"stop that program (`ss -ltnp 'sport = :{listener.Port}'` names it), then run `thopter sync pair DEVBOX` again (it restarts SyncThing), or move SyncThing to a free port: thopter sync pair DEVBOX --agent-arg=--listen=tcp://127.0.0.1:PORT");
        }
    }

    private static IReadOnlyList<System.Net.DnsEndPoint> ListenerEndpoints(SetupPaths paths)
    {
        OptionsConfig options;
        try
        {
            options = SyncthingConfigDocument.Load(paths.ConfigPath).Options;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException or ConfigXmlException)
        {
            throw new AgentException(ExitCodes.TunnelNotSetUp, $"no usable SyncThing config at {paths.ConfigPath}: {error.Message}", "run thopter-agent setup (thopter sync pair does), or pass --home with SyncThing's home");
        }

        var endpoints = SyncListener.Endpoints(options);
        return endpoints.Count > 0
            ? endpoints
            : throw new AgentException(ExitCodes.TunnelNotSetUp, $"{paths.ConfigPath} has no TCP listen address ({string.Join(", ", options.ListenAddresses)})", "pair again: thopter sync pair sets tcp://127.0.0.1:22000");
    }

    private static async Task<Socket> ConnectAsync(IReadOnlyList<System.Net.DnsEndPoint> endpoints, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
                return socket;
            }
            catch (Exception error) when (error is SocketException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                socket.Dispose();
                failures.Add($"{endpoint.Host}:{endpoint.Port}: {(error is SocketException s ? s.Message : $"no answer within {ConnectTimeout.TotalSeconds:0} s")}");
            }
        }

        throw new AgentException(
            ExitCodes.TunnelRefused,
            $"SyncThing does not accept sync connections ({string.Join("; ", failures)})",
            "check `thopter-agent status` on the devbox; `thopter sync pair` restarts SyncThing");
    }
}
