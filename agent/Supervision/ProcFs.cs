using System.Globalization;

namespace Thopter.Agent.Supervision;

/// <summary>What /proc says about a process. Every read of a vanished (or foreign, unreadable) process answers "nothing".</summary>
internal static class ProcFs
{
    /// <summary>The pids of every process /proc lists.</summary>
    public static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>argv; a zombie or a dead pid reads as empty.</summary>
    public static IReadOnlyList<string> CommandLine(int pid) =>
        Read(pid, "cmdline")?.Split('\0', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public static int? ParentOf(int pid) => StatField(pid, 1) is { } field && int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;

    public static string? SessionOf(int pid) => StatField(pid, 3);

    /// <summary>The real uid from /proc/PID/status.</summary>
    public static uint? OwnerOf(int pid)
    {
        var line = Read(pid, "status")?.Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        var fields = line?.Split('\t', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 1 } && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
    }

    /// <summary>/proc/PID/cgroup's text ("0::/user.slice/.../thopter-syncthing.service"), empty when unreadable.</summary>
    public static string CgroupOf(int pid) => Read(pid, "cgroup") ?? string.Empty;

    public static bool IsAlive(int pid) => CommandLine(pid).Count > 0;

    /// <summary>The fields after the parenthesised command name: state ppid pgrp session ...</summary>
    private static string? StatField(int pid, int index)
    {
        var stat = Read(pid, "stat");
        if (stat is null)
        {
            return null;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > index ? fields[index] : null;
    }

    private static string? Read(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
