using Grpc.Core;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Client;

namespace Thopter.Tests.EndToEnd;

/// <summary>The daemon's event stream (its real gRPC WatchEvents over its unix socket), recorded from now until disposed.</summary>
public sealed class DaemonEventRecorder : IAsyncDisposable
{
    private readonly DaemonConnection daemon;
    private readonly CancellationTokenSource watch = new();
    private readonly AsyncServerStreamingCall<DaemonEvent> stream;
    private readonly List<DaemonEvent> events = [];
    private readonly Task reading;

    public DaemonEventRecorder(string home)
    {
        daemon = new DaemonConnection(DaemonPaths.For(home, null).Socket);
        stream = daemon.Api.WatchEvents(new EventsRequest(), cancellationToken: watch.Token);
        reading = ReadAsync();
    }

    public IReadOnlyList<DaemonEvent> Snapshot()
    {
        lock (events)
        {
            return [.. events];
        }
    }

    public void Clear()
    {
        lock (events)
        {
            events.Clear();
        }
    }

    public bool Collected(string devbox) =>
        Snapshot().Any(e => e.Kind == DaemonEvent.Types.Kind.ConflictCollected && e.Devbox == devbox);

    /// <summary>The connection and conflict events, one line each, for the test's output.</summary>
    public IEnumerable<string> Describe() =>
        Snapshot()
            .Where(e => e.Kind is DaemonEvent.Types.Kind.Conflict or DaemonEvent.Types.Kind.ConflictCollected or DaemonEvent.Types.Kind.Connected
                or DaemonEvent.Types.Kind.SyncthingUp or DaemonEvent.Types.Kind.SyncthingDown)
            .Select(e => $"event {DateTimeOffset.FromUnixTimeMilliseconds(e.Time):HH:mm:ss.fff} {e.Kind} {e.Devbox} {e.Detail}");

    private async Task ReadAsync()
    {
        try
        {
            while (await stream.ResponseStream.MoveNext(watch.Token))
            {
                lock (events)
                {
                    events.Add(stream.ResponseStream.Current);
                }
            }
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await watch.CancelAsync();
        await reading;
        stream.Dispose();
        daemon.Dispose();
        watch.Dispose();
    }
}
