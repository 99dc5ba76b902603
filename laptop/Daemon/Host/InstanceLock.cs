namespace Thopter.Laptop.Daemon.Host;

/// <summary>
/// One daemon per user: an exclusive lock on a file in the private run directory, held for the daemon's life and
/// released by the kernel when the process dies (also after kill -9), so a stale socket never blocks a new daemon.
/// </summary>
public sealed class InstanceLock : IDisposable
{
    private readonly FileStream stream;

    private InstanceLock(FileStream stream) => this.stream = stream;

    /// <summary>The lock, or null when another daemon holds it.</summary>
    public static InstanceLock? TryAcquire(string path)
    {
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix.
            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            return new InstanceLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => stream.Dispose();
}
