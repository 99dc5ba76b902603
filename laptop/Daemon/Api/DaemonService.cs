using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Thopter.Laptop.Daemon.Host;
using Thopter.Laptop.Daemon.State;

namespace Thopter.Laptop.Daemon.Api;

/// <summary>The gRPC API: answers from <see cref="LaptopState"/> in memory; never calls SyncThing on a request's path.</summary>
public sealed class DaemonService(DaemonSettings settings, LaptopState state, EventHub events, LaptopMonitor monitor, IHostApplicationLifetime lifetime, TimeProvider time)
    : Daemon.DaemonBase
{
    private readonly long startedAt = time.GetUtcNow().ToUnixTimeSeconds();

    public override Task<VersionReply> GetVersion(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionReply { Version = settings.Version, Pid = Environment.ProcessId, StartedAt = startedAt, Home = settings.Home });

    public override Task<StatusReply> GetStatus(StatusRequest request, ServerCallContext context) =>
        Task.FromResult(state.Snapshot(request.Devbox));

    public override async Task WatchEvents(EventsRequest request, IServerStreamWriter<DaemonEvent> responseStream, ServerCallContext context)
    {
        var reader = events.Subscribe(context.CancellationToken);
        try
        {
            await foreach (var item in reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(item, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller went away.
        }
    }

    public override async Task<ReloadReply> Reload(ReloadRequest request, ServerCallContext context)
    {
        await monitor.ReloadAsync(context.CancellationToken).ConfigureAwait(false);
        return new ReloadReply { Devboxes = state.DeviceIds().Count };
    }

    public override Task<StopReply> Stop(StopRequest request, ServerCallContext context)
    {
        // Answer first: the stop begins once this call has completed.
        context.GetHttpContext().Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return Task.FromResult(new StopReply());
    }
}
