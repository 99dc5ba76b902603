using System.Threading.Channels;
using Thopter.Laptop.Daemon.Api;

namespace Thopter.Laptop.Daemon.State;

/// <summary>Fans daemon events out to every WatchEvents caller. A slow caller loses its oldest events, never blocks the daemon.</summary>
public sealed class EventHub
{
    private const int PerSubscriberBuffer = 256;
    private readonly Lock gate = new();
    private readonly List<Channel<DaemonEvent>> subscribers = [];

    public ChannelReader<DaemonEvent> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<DaemonEvent>(new BoundedChannelOptions(PerSubscriberBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (gate)
        {
            subscribers.Add(channel);
        }

        cancellationToken.Register(() =>
        {
            lock (gate)
            {
                subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    public void Publish(DaemonEvent item)
    {
        lock (gate)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryWrite(item);
            }
        }
    }

    /// <summary>Ends every subscription (the daemon is stopping).</summary>
    public void Complete()
    {
        lock (gate)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            subscribers.Clear();
        }
    }
}
