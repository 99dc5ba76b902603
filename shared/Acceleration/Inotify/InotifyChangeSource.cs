using System.Runtime.InteropServices;

namespace Thopter.Shared.Acceleration.Inotify;

/// <summary>
/// Linux inotify as the change source, with one watch per directory that sync needs and none below a directory
/// the sink skips (<c>node_modules</c>, <c>.git</c>, <c>.stversions</c>...): FileSystemWatcher watches every
/// subdirectory, so a workspace's ignored dependency trees cost inotify watches and wake-ups for nothing.
/// A new directory is reported itself, so the scan it triggers covers whatever appeared in it before its
/// watch was in place. One reader thread blocks in poll() on the inotify descriptor and an eventfd that
/// Dispose signals: nothing runs while nothing changes.
/// </summary>
public sealed unsafe class InotifyChangeSource : IChangeSource
{
    private const uint DirectoryMask = InotifyNative.Modify | InotifyNative.Attrib | InotifyNative.CloseWrite
        | InotifyNative.MovedFrom | InotifyNative.MovedTo | InotifyNative.Create | InotifyNative.Delete
        | InotifyNative.DeleteSelf | InotifyNative.MoveSelf
        | InotifyNative.OnlyDirectory | InotifyNative.DontFollow | InotifyNative.ExcludeUnlinked;

    private const int BufferSize = 64 * 1024;

    private readonly object _gate = new();
    private readonly WatchTable _watches = new();
    private int _inotify = -1;
    private int _wake = -1;
    private string _root = string.Empty;
    private int _rootWatch = -1;
    private IChangeSink? _sink;
    private Thread? _reader;
    private bool _limitReported;

    /// <summary>The inotify descriptor, for tests that count its watches in /proc/self/fdinfo.</summary>
    internal int Descriptor => _inotify;

    /// <summary>Directories watched right now.</summary>
    public int WatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    public void Start(string folderPath, IChangeSink sink)
    {
        if (_sink is not null)
        {
            throw new InvalidOperationException("the change source is already started");
        }

        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folderPath));
        _sink = sink;
        _inotify = InotifyNative.Init(InotifyNative.NonBlocking | InotifyNative.CloseOnExec);
        if (_inotify < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw Failure(errno, $"inotify_init1 failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        _wake = InotifyNative.EventFd(0, InotifyNative.NonBlocking | InotifyNative.CloseOnExec);
        if (_wake < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw Failure(errno, $"eventfd failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        Refresh();
        if (_rootWatch < 0)
        {
            throw new DirectoryNotFoundException($"cannot watch {_root}: it is missing or not a directory");
        }

        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "inotify " + Path.GetFileName(_root) };
        _reader.Start();
    }

    /// <summary>Brings the watches in line with the tree and with what the sink skips: adds the missing, removes those of skipped or vanished directories.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            var visited = new HashSet<string>(StringComparer.Ordinal);
            if (!WatchTree(_root, visited))
            {
                // Cut short by the watch limit: unvisited directories may still be wanted, so nothing is pruned.
                return;
            }

            foreach (var watch in _watches.ForgetAllExcept(visited))
            {
                InotifyNative.RemoveWatch(_inotify, watch);
            }
        }
    }

    // Returns false once the watch limit is hit; the sink switches to periodic scans then, and a later Refresh (after the
    // sysctl is raised) fills in.
    private bool WatchTree(string top, HashSet<string> visited) =>
        DirectoryWalk.Walk(top, _sink!.SkipsDirectory, directory =>
        {
            var watch = InotifyNative.AddWatch(_inotify, directory, DirectoryMask);
            if (watch < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is InotifyNative.ENOSPC)
                {
                    ReportLimit(errno);
                    return WalkStep.Stop;
                }

                // Gone or unreadable meanwhile: SyncThing cannot sync it either; its parent's watch reports its return.
                return WalkStep.Skip;
            }

            _watches.Set(watch, directory);
            visited.Add(directory);
            if (directory == _root)
            {
                _rootWatch = watch;
            }

            return WalkStep.Descend;
        });

    private void ReportLimit(int errno)
    {
        if (!_limitReported)
        {
            _limitReported = true;
            _sink!.WatchLimitReached(Failure(errno, $"inotify watch limit reached after {_watches.Count} directories (fs.inotify.max_user_watches)"));
        }
    }

    private void ReadLoop()
    {
        var buffer = new byte[BufferSize];
        var polled = stackalloc InotifyNative.PollFd[2];
        while (true)
        {
            polled[0] = new InotifyNative.PollFd { Fd = _inotify, Events = InotifyNative.PollIn };
            polled[1] = new InotifyNative.PollFd { Fd = _wake, Events = InotifyNative.PollIn };
            if (InotifyNative.Poll(polled, 2, -1) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == InotifyNative.EINTR)
                {
                    continue;
                }

                _sink!.WatcherFailed(Failure(errno, $"poll on inotify failed: {Marshal.GetPInvokeErrorMessage(errno)}"));
                return;
            }

            if (polled[1].Revents != 0)
            {
                return;
            }

            nint read;
            fixed (byte* start = buffer)
            {
                read = InotifyNative.Read(_inotify, start, (nuint)buffer.Length);
            }

            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is InotifyNative.EINTR or InotifyNative.EAGAIN)
                {
                    continue;
                }

                _sink!.WatcherFailed(Failure(errno, $"reading inotify events failed: {Marshal.GetPInvokeErrorMessage(errno)}"));
                return;
            }

            lock (_gate)
            {
                foreach (var inotifyEvent in InotifyEvent.ParseAll(buffer.AsSpan(0, (int)read)))
                {
                    Handle(inotifyEvent);
                }
            }
        }
    }

    private void Handle(InotifyEvent e)
    {
        var sink = _sink!;
        if (e.Has(InotifyNative.QueueOverflow))
        {
            sink.Overflowed();
            Refresh();
            return;
        }

        var directory = _watches.PathOf(e.Watch);
        if (directory is null)
        {
            // A watch we already dropped (its directory moved away or became skipped): its last events mean nothing.
            return;
        }

        if (e.Has(InotifyNative.Ignored))
        {
            _watches.Forget(e.Watch);
            return;
        }

        if (e.Name.Length == 0)
        {
            if (e.Watch == _rootWatch && e.Has(InotifyNative.DeleteSelf | InotifyNative.MoveSelf))
            {
                sink.WatcherFailed(new IOException($"the watched folder {_root} was deleted or moved away"));
            }

            // Other self events repeat what the parent's watch reports about the entry.
            return;
        }

        var path = directory + "/" + e.Name;
        if (e.Has(InotifyNative.IsDirectory))
        {
            if (e.Has(InotifyNative.MovedFrom))
            {
                foreach (var watch in _watches.ForgetTree(path))
                {
                    InotifyNative.RemoveWatch(_inotify, watch);
                }
            }
            else if (e.Has(InotifyNative.Create | InotifyNative.MovedTo) && !sink.SkipsDirectory(path))
            {
                WatchTree(path, []);
            }
        }

        sink.PathChanged(path);
    }

    private static IOException Failure(int errno, string message) => new(message, errno);

    public void Dispose()
    {
        if (_wake >= 0)
        {
            long one = 1;
            InotifyNative.Write(_wake, (byte*)&one, sizeof(long));
            _reader?.Join(TimeSpan.FromSeconds(5));
            InotifyNative.Close(_wake);
            _wake = -1;
        }

        if (_inotify >= 0)
        {
            InotifyNative.Close(_inotify);
            _inotify = -1;
        }
    }
}
