using System.Diagnostics;
using Thopter.Agent.Systemd;

namespace Thopter.Agent.Supervision;

/// <summary>Runs the child with our stdio, so its log lines land wherever the supervisor's go (journal or log file).</summary>
/// <remarks>
/// SyncThing 1.x runs as a monitor process plus an inner one with the same command line. When the
/// monitor dies by SIGKILL the inner one lives on, holding the database lock, so every restart
/// would fail; leftovers are therefore killed after each exit.
/// </remarks>
public sealed class ChildProcessLauncher : IChildProcessLauncher
{
    public IChildProcess Start(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new Child(process, [fileName, .. arguments]);
    }

    private sealed class Child(Process process, IReadOnlyList<string> commandLine) : IChildProcess
    {
        public int Id => process.Id;

        public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            LeftoverProcesses.Kill(commandLine);
            return process.ExitCode;
        }

        public void Terminate()
        {
            if (!process.HasExited)
            {
                Libc.Kill(process.Id, Libc.SignalTerm);
            }
        }

        public void Kill() => process.Kill(entireProcessTree: true);

        public void Dispose() => process.Dispose();
    }
}
