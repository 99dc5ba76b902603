using System.Globalization;

namespace Thopter.Shared.Acceleration.Inotify;

/// <summary>
/// How much of the kernel's per-user inotify budget is spent: watches and instances held by this user's
/// processes (SyncThing, the accelerator, editors...) against fs.inotify.max_user_watches / max_user_instances.
/// Counted from /proc, so it sees the processes of this PID namespace; in a container the kernel also counts
/// same-uid processes of other containers against the same limit, which only makes a short budget shorter.
/// </summary>
public sealed record InotifyBudget(int WatchesUsed, int WatchLimit, int InstancesUsed, int InstanceLimit)
{
    /// <summary>What we suggest raising the watch limit to at least: what most distributions now ship.</summary>
    public const int SuggestedWatchLimit = 524288;

    private const string WatchLine = "inotify wd:";

    /// <summary>Less than a tenth of either limit left: the next big directory tree or editor will hit it.</summary>
    public bool IsShort => WatchLimit - WatchesUsed < WatchLimit / 10 || InstanceLimit - InstancesUsed < Math.Max(1, InstanceLimit / 10);

    /// <summary>The command that raises both limits for good (needs root on the machine).</summary>
    public string Fix =>
        $"echo -e 'fs.inotify.max_user_watches={Math.Max(SuggestedWatchLimit, WatchesUsed * 2)}\\nfs.inotify.max_user_instances={Math.Max(1024, InstancesUsed * 2)}' | sudo tee /etc/sysctl.d/90-thopter-inotify.conf && sudo sysctl --system";

    /// <summary>Reads the budget of the user running this process; null where there is no inotify (not Linux).</summary>
    public static InotifyBudget? ReadForCurrentUser(string procRoot = "/proc")
    {
        var limits = Path.Combine(procRoot, "sys", "fs", "inotify");
        if (ReadNumber(Path.Combine(limits, "max_user_watches")) is not { } watchLimit
            || ReadNumber(Path.Combine(limits, "max_user_instances")) is not { } instanceLimit)
        {
            return null;
        }

        var uid = OwnerOf(Path.Combine(procRoot, "self"));
        int watches = 0, instances = 0;
        foreach (var process in Directory.EnumerateDirectories(procRoot).Where(IsProcess))
        {
            if (OwnerOf(process) != uid)
            {
                continue;
            }

            foreach (var (descriptors, fd) in InotifyDescriptors(process))
            {
                instances++;
                watches += CountWatches(Path.Combine(descriptors, fd));
            }
        }

        return new InotifyBudget(watches, watchLimit, instances, instanceLimit);
    }

    private static bool IsProcess(string directory) => Path.GetFileName(directory).All(char.IsAsciiDigit);

    private static uint? OwnerOf(string process)
    {
        try
        {
            // "Uid:\treal\teffective\tsaved\tfs": the kernel charges watches to the real uid's ucounts.
            var line = File.ReadLines(Path.Combine(process, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return line is not null && uint.TryParse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The process exited meanwhile.
            return null;
        }
    }

    private static List<(string FdInfo, string Fd)> InotifyDescriptors(string process)
    {
        var found = new List<(string, string)>();
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
            {
                if (new FileInfo(fd).LinkTarget == "anon_inode:inotify")
                {
                    found.Add((Path.Combine(process, "fdinfo"), Path.GetFileName(fd)));
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Exited, or another user's process we may not look into.
        }

        return found;
    }

    private static int CountWatches(string fdInfo)
    {
        try
        {
            return File.ReadLines(fdInfo).Count(line => line.StartsWith(WatchLine, StringComparison.Ordinal));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static int? ReadNumber(string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
