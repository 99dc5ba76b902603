namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>What one devbox's tunnels are doing: how many are open, and how the last one ended. Thread-safe.</summary>
public sealed class TunnelHealth(TimeProvider time)
{
    private readonly Lock gate = new();
    private int open;
    private long lastClosed;
    private TunnelOutcome? last;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Open
    {
        get
        {
            lock (gate)
            {
                return open;
            }
        }
    }

    public TunnelOutcome? Last
    {
        get
        {
            lock (gate)
            {
                return last;
            }
        }
    }

    /// <summary>Completes at the next open or close.</summary>
    public Task Changed
    {
        get
        {
            lock (gate)
            {
                return changed.Task;
            }
        }
    }

    /// <summary>How long no tunnel has been open (zero while one is).</summary>
    public TimeSpan Idle
    {
        get
        {
            lock (gate)
            {
                return open > 0 ? TimeSpan.Zero : time.GetElapsedTime(lastClosed);
            }
        }
    }

    public void Opened()
    {
        lock (gate)
        {
            open++;
            Signal();
        }
    }

    public void Closed(TunnelOutcome outcome)
    {
        lock (gate)
        {
            open--;
            last = outcome;
            lastClosed = time.GetTimestamp();
            Signal();
        }
    }

    private void Signal()
    {
        changed.TrySetResult();
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
