using System.Diagnostics;
using System.Globalization;

namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// The run's safety net, in the spirit of Testcontainers' Ryuk: a detached shell started with the
/// first devbox waits for this test process to end (normally, by a crash or a kill -9; the test
/// host is killed moments after the last test, too soon for exit hooks) and then removes every
/// container and image labelled with this process as owner. Earlier crashed runs whose reaper also
/// died are swept by <see cref="LeftoverSweeper"/> when the first devbox fixture starts.
/// </summary>
internal static class RunReaper
{
    private static int started;

    // $1 pid, $2 its start time: poll until the pid is gone or is another process, then remove what it owned.
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        alive() { [ "$(sed 's/.*) //' /proc/$1/stat 2>/dev/null | cut -d' ' -f20)" = "$2" ]; }
        while alive "$1" "$2"; do sleep 1; done
        ids=$(docker ps -aq --filter "label=thopter.test.pid=$1" --filter "label=thopter.test.pidstart=$2")
        [ -z "$ids" ] || docker rm -f -v $ids
        images=$(docker images -q --filter "label=thopter.test.pid=$1" --filter "label=thopter.test.pidstart=$2" | sort -u)
        [ -z "$images" ] || docker rmi -f $images
        exit 0
        """;

    /// <summary>Starts the reaper once per test process. It always uses the real docker CLI, whatever runner a test hands the fixture.</summary>
    public static void EnsureStarted()
    {
        if (Interlocked.Exchange(ref started, 1) == 1)
        {
            return;
        }

        Start(TestRunLabels.Current.OwnerPid, TestRunLabels.Current.OwnerStartTime);
    }

    /// <summary>Starts a reaper for the Docker objects owned by process <paramref name="pid"/> (started at <paramref name="startTime"/>).</summary>
    public static void Start(int pid, string startTime)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-f", "bash", "-c", Script, "thopter-test-reaper", pid.ToString(CultureInfo.InvariantCulture), startTime })
        {
            start.ArgumentList.Add(argument);
        }

        // setsid -f forks the reaper into its own session and returns at once; the reaper then outlives us.
        using var launcher = Process.Start(start) ?? throw new InvalidOperationException("could not start the test-run reaper (setsid)");
        launcher.WaitForExit();
    }
}
