using System.Runtime.ExceptionServices;
using Thopter.Shared.Timing;

namespace Thopter.Shared.IO;

/// <summary>
/// An exclusive lock held by an open lock file (the kernel's flock through <see cref="FileShare.None"/>), so a holder
/// that crashes releases it. Waits while another process (or another holder in this one) has it; any other error
/// (read-only file system, permissions) will not go away by waiting and is thrown at once.
/// </summary>
public static class FileLock
{
    // EWOULDBLOCK: flock found the lock held (what .NET reports when FileShare.None meets another holder).
    private const int LockHeldErrno = 11;

    /// <param name="lockPath">The lock file; created 0600 when missing, never deleted.</param>
    /// <param name="what">What the lock guards, for the timeout's message.</param>
    /// <returns>The lock, released when disposed.</returns>
    public static async Task<IDisposable> AcquireAsync(string lockPath, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        FileStream? held = null;
        Exception? broken = null;
        try
        {
            await Wait.UntilAsync(
                what,
                _ =>
                {
                    try
                    {
                        held = new FileStream(lockPath, new FileStreamOptions
                        {
                            Mode = FileMode.OpenOrCreate,
                            Access = FileAccess.ReadWrite,
                            Share = FileShare.None,
                            UnixCreateMode = AtomicFile.PrivateMode,
                        });
                        return Task.FromResult(true);
                    }
                    catch (IOException error) when (error.HResult == LockHeldErrno)
                    {
                        return Task.FromResult(false);
                    }
                    catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                    {
                        broken = error;
                        throw new WaitAbortedException(error.Message);
                    }
                },
                TimeSpan.FromMilliseconds(50),
                timeout,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WaitAbortedException) when (broken is not null)
        {
            ExceptionDispatchInfo.Throw(broken);
        }

        return held!;
    }
}
