using System.Globalization;

namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// The labels on everything a test run creates in Docker. The owner is a pid plus that process's
/// start time, so a recycled pid never makes a dead run's leftovers look alive.
/// </summary>
public sealed record TestRunLabels(string RunId, int OwnerPid, string OwnerStartTime)
{
    public const string Marker = "thopter.test";
    public const string Run = "thopter.test.run";
    public const string Pid = "thopter.test.pid";
    public const string PidStart = "thopter.test.pidstart";

    /// <summary>
    /// One run id per test process: every fixture in the process shares it. scripts/test.sh sets
    /// THOPTER_TEST_RUN_ID so it can check after the suite that nothing of the run is left.
    /// </summary>
    public static TestRunLabels Current { get; } = new(
        Environment.GetEnvironmentVariable("THOPTER_TEST_RUN_ID") is { Length: > 0 } given && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? given
            : $"{DateTime.UtcNow:yyyyMMddHHmmss}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32],
        Environment.ProcessId,
        ProcessStartTime(Environment.ProcessId) ?? "unknown");

    public IReadOnlyDictionary<string, string> All => new Dictionary<string, string>
    {
        [Marker] = "1",
        [Run] = RunId,
        [Pid] = OwnerPid.ToString(CultureInfo.InvariantCulture),
        [PidStart] = OwnerStartTime,
    };

    /// <summary>`--label k=v` pairs for docker run/create.</summary>
    public IEnumerable<string> AsLabelArguments() => All.SelectMany(pair => new[] { "--label", $"{pair.Key}={pair.Value}" });

    /// <summary>`--change LABEL k=v` pairs for docker commit.</summary>
    public IEnumerable<string> AsCommitChanges() => All.SelectMany(pair => new[] { "--change", $"LABEL {pair.Key}={pair.Value}" });

    /// <summary>True when the process that owns the labels is still the same live process.</summary>
    public static bool IsOwnerAlive(string? pid, string? startTime)
    {
        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        var actual = ProcessStartTime(id);
        return actual is not null && actual == startTime;
    }

    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot), or null when the pid is gone.</summary>
    internal static string? ProcessStartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may contain spaces: count fields after its closing one.
        var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return afterName.Length > 19 ? afterName[19] : null;
    }
}
