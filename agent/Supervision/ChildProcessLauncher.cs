using System.Diagnostics;
using Thopter.Agent.Systemd;

namespace Thopter.Agent.Supervision;

/// <summary>Runs the child with our stdio, so its log lines land wherever the supervisor's go (journal or log file).</summary>
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

        return new Child(Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}"));
    }

    private sealed class Child(Process process) : IChildProcess
    {
        public int Id => process.Id;

        public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
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
