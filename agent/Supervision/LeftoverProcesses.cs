using Thopter.Agent.Systemd;

namespace Thopter.Agent.Supervision;

/// <summary>
/// Finds processes orphaned by a dead child: same session as ours and exactly the child's command
/// line. Both must match, so nothing outside this supervisor's session is ever touched.
/// </summary>
internal static class LeftoverProcesses
{
    public static void Kill(IReadOnlyList<string> commandLine)
    {
        var session = ProcFs.SessionOf(Environment.ProcessId);
        if (session is null)
        {
            return;
        }

        foreach (var pid in ProcFs.Pids().Where(pid => pid != Environment.ProcessId))
        {
            if (ProcFs.SessionOf(pid) == session && ProcFs.CommandLine(pid).SequenceEqual(commandLine))
            {
                Libc.Kill(pid, Libc.SignalKill);
            }
        }
    }
}
