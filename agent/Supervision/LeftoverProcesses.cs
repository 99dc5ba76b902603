using System.Globalization;
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
        var session = SessionOf("self");
        if (session is null)
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            if (SessionOf(name) == session && CommandLine(name).SequenceEqual(commandLine))
            {
                Libc.Kill(pid, Libc.SignalKill);
            }
        }
    }

    private static string? SessionOf(string pid)
    {
        try
        {
            // Fields after the parenthesised command name: state ppid pgrp session ...
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 3 ? fields[3] : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[] CommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
