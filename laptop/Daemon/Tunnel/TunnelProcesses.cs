using System.Diagnostics;
using Thopter.Laptop.Transport;
using Thopter.Shared.Processes;

namespace Thopter.Laptop.Daemon.Tunnel;

/// <summary>Starts tunnel children as real processes, argv only (never a shell), with stdin and stdout as unbuffered pipes.</summary>
public sealed class TunnelProcesses : ITunnelProcesses
{
    public ITunnelProcess Start(ProcessSpec spec)
    {
        var start = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new Running(Process.Start(start) ?? throw new InvalidOperationException($"could not start {spec.FileName}"));
    }

    private sealed class Running : ITunnelProcess
    {
        private readonly Process process;
        private volatile string lastErrorLine = string.Empty;

        public Running(Process process)
        {
            this.process = process;
            Exited = WaitAsync();
        }

        public Stream Input => process.StandardInput.BaseStream;

        public Stream Output => process.StandardOutput.BaseStream;

        public int Pid => process.Id;

        public Task<int> Exited { get; }

        public string LastErrorLine => lastErrorLine;

        public void Kill()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        public void Dispose() => process.Dispose();

        private async Task<int> WaitAsync()
        {
            // stderr is read so a chatty transport never blocks on a full pipe; only its last line is kept. A grandchild
            // (an ssh control master) may hold stderr open after the transport exits: its end is awaited only briefly.
            var errors = ReadErrorsAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            await Task.WhenAny(errors, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            return process.ExitCode;
        }

        private async Task ReadErrorsAsync()
        {
            string? line;
            while ((line = await process.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                if (DevboxText.FirstLine(line) is { } clean)
                {
                    lastErrorLine = clean;
                }
            }
        }
    }
}
