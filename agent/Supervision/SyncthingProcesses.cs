using Thopter.Agent.Systemd;
using Thopter.Shared.Timing;

namespace Thopter.Agent.Supervision;

/// <summary>A SyncThing process serving a home, and the process it hangs off.</summary>
public readonly record struct ServingProcess(int Pid, int Parent);

/// <summary>
/// The SyncThing processes of this user that serve one home (`serve ... --home=HOME`), whoever started them. Two cannot
/// run at once (the second dies on the database lock), so one left behind by a killed supervisor must be found: to report
/// it rather than take its answers for ours, and to stop it before a supervised one starts.
/// </summary>
public static class SyncthingProcesses
{
    public static IReadOnlyList<ServingProcess> Serving(string home)
    {
        var uid = Libc.GetEffectiveUserId();
        var found = new List<ServingProcess>();
        foreach (var pid in ProcFs.Pids())
        {
            if (pid != Environment.ProcessId && ServesHome(ProcFs.CommandLine(pid), home) && ProcFs.OwnerOf(pid) == uid && ProcFs.ParentOf(pid) is { } parent)
            {
                found.Add(new ServingProcess(pid, parent));
            }
        }

        return found;
    }

    /// <summary>
    /// Whether argv is a SyncThing serving <paramref name="home"/> as setup starts it (`BINARY serve ... --home=HOME`),
    /// whatever its binary is called (setup --syncthing-binary).
    /// </summary>
    public static bool ServesHome(IReadOnlyList<string> commandLine, string home) =>
        commandLine.Count > 2 && commandLine[1] == "serve" && commandLine.Contains($"--home={home}");

    /// <summary>
    /// Those that do not descend from <paramref name="supervisorPid"/> (null: every one; SyncThing 1.x runs a monitor and
    /// an inner process, so the inner one is the supervisor's grandchild) and are not run by the systemd unit <paramref name="unitName"/>.
    /// </summary>
    public static IReadOnlyList<ServingProcess> Unsupervised(string home, int? supervisorPid, string unitName) =>
        Serving(home).Where(p => !DescendsFrom(p.Pid, supervisorPid) && !ProcFs.CgroupOf(p.Pid).TrimEnd().EndsWith("/" + unitName, StringComparison.Ordinal)).ToList();

    private const int MaxAncestry = 16;

    private static bool DescendsFrom(int pid, int? ancestor)
    {
        var current = (int?)pid;
        for (var depth = 0; ancestor is not null && current is > 1 && depth < MaxAncestry; depth++)
        {
            current = ProcFs.ParentOf(current.Value);
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>SIGTERM (SyncThing shuts down cleanly on it), then SIGKILL for any still there after <paramref name="grace"/>.</summary>
    public static async Task StopAsync(IReadOnlyList<ServingProcess> processes, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (processes.Count == 0)
        {
            return;
        }

        foreach (var process in processes)
        {
            Libc.Kill(process.Pid, Libc.SignalTerm);
        }

        try
        {
            await Wait.UntilAsync(
                $"unsupervised SyncThing pid {string.Join(", ", processes.Select(p => p.Pid))} to exit",
                _ => Task.FromResult(processes.All(p => !ProcFs.IsAlive(p.Pid))),
                TimeSpan.FromMilliseconds(100),
                grace,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException)
        {
            foreach (var process in processes)
            {
                Libc.Kill(process.Pid, Libc.SignalKill);
            }
        }
    }
}
