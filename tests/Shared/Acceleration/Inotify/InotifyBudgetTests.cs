using Thopter.Shared.Acceleration.Inotify;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration.Inotify;

public sealed class InotifyBudgetTests : IDisposable
{
    private readonly TempDirectory _proc = new();

    [Fact]
    public void Counts_the_watches_and_instances_of_this_users_processes_only()
    {
        Limits(watches: 8192, instances: 128);
        Process("self", uid: 1000);
        Process("100", uid: 1000, ("3", "anon_inode:inotify", 40), ("4", "/dev/null", 0), ("7", "anon_inode:inotify", 2));
        Process("200", uid: 1000, ("5", "anon_inode:inotify", 10));
        Process("300", uid: 0, ("3", "anon_inode:inotify", 5000));

        var budget = InotifyBudget.ReadForCurrentUser(_proc.Path);

        Assert.Equal(new InotifyBudget(52, 8192, 3, 128), budget);
        Assert.False(budget!.IsShort);
    }

    [Theory]
    [InlineData(7300, 3, false)]
    [InlineData(7500, 3, true)]
    [InlineData(10, 120, true)]
    public void Short_means_less_than_a_tenth_left(int watches, int instances, bool isShort)
    {
        var budget = new InotifyBudget(watches, 8192, instances, 128);

        Assert.Equal(isShort, budget.IsShort);
        Assert.Contains("fs.inotify.max_user_watches=524288", budget.Fix, StringComparison.Ordinal);
        Assert.Contains("sudo sysctl --system", budget.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void No_inotify_settings_means_no_budget()
    {
        Assert.Null(InotifyBudget.ReadForCurrentUser(_proc.Path));
    }

    [Fact]
    public void On_the_real_kernel_a_started_source_is_counted()
    {
        var folder = _proc.Combine("tree");
        for (var i = 0; i < 30; i++)
        {
            Directory.CreateDirectory(Path.Combine(folder, $"d{i}"));
        }

        using var source = new InotifyChangeSource();
        source.Start(folder, new SkipNothing());
        var budget = InotifyBudget.ReadForCurrentUser();

        // Other processes of this user only add to the count.
        Assert.NotNull(budget);
        Assert.True(budget.WatchesUsed >= 31, $"{budget.WatchesUsed} watches counted, this process alone holds 31");
        Assert.True(budget.InstancesUsed >= 1);
    }

    private void Limits(int watches, int instances)
    {
        var directory = _proc.Combine("sys", "fs", "inotify");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "max_user_watches"), $"{watches}\n");
        File.WriteAllText(Path.Combine(directory, "max_user_instances"), $"{instances}\n");
    }

    private void Process(string pid, int uid, params (string Fd, string Target, int Watches)[] descriptors)
    {
        var process = _proc.Combine(pid);
        Directory.CreateDirectory(Path.Combine(process, "fd"));
        Directory.CreateDirectory(Path.Combine(process, "fdinfo"));
        File.WriteAllText(Path.Combine(process, "status"), $"Name:\tx\nUmask:\t0022\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\n");
        foreach (var (fd, target, watches) in descriptors)
        {
            File.CreateSymbolicLink(Path.Combine(process, "fd", fd), target);
            var lines = new List<string> { "pos:\t0", "flags:\t02004000" };
            lines.AddRange(Enumerable.Range(1, watches).Select(w => $"inotify wd:{w} ino:{w:x} sdev:800001 mask:fce ignored_mask:0"));
            File.WriteAllLines(Path.Combine(process, "fdinfo", fd), lines);
        }
    }

    public void Dispose() => _proc.Dispose();

    private sealed class SkipNothing : Thopter.Shared.Acceleration.IChangeSink
    {
        public bool SkipsDirectory(string fullPath) => false;

        public void PathChanged(string fullPath)
        {
        }

        public void Overflowed()
        {
        }

        public void WatchLimitReached(Exception error)
        {
        }

        public void WatcherFailed(Exception error)
        {
        }
    }
}
