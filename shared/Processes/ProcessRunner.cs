using System.Diagnostics;
using System.Text;

namespace Thopter.Shared.Processes;

/// <summary>Runs a program to completion, capturing stdout and stderr; kills the whole tree on timeout or cancellation.</summary>
public sealed class ProcessRunner : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = spec.StandardInput is not null || spec.InputWriter is not null,
            UseShellExecute = false,
        };
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (spec.WorkingDirectory is not null)
        {
            start.WorkingDirectory = spec.WorkingDirectory;
        }

        foreach (var (key, value) in spec.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {spec.FileName}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(spec.Timeout);

        // The reads are part of the deadline too: a grandchild that inherited stdout keeps the pipe
        // open after the child exits, and waiting for that EOF without a bound would hang forever.
        // They are bounded in size as well: a stream over the limit ends the run through the same deadline.
        ProcessOutputLimitException? overflow = null;
        void Overflow(string stream)
        {
            overflow ??= new ProcessOutputLimitException(spec.FileName, stream, spec.MaxOutputChars);
            deadline.Cancel();
        }

        var stdout = ReadBoundedAsync(process.StandardOutput, spec.MaxOutputChars, () => Overflow("stdout"), deadline.Token);
        var stderr = ReadBoundedAsync(process.StandardError, spec.MaxOutputChars, () => Overflow("stderr"), deadline.Token);
        try
        {
            if (spec.InputWriter is not null)
            {
                await WriteInputAsync(process, stdin => spec.InputWriter(stdin.BaseStream, deadline.Token)).ConfigureAwait(false);
            }
            else if (spec.StandardInput is not null)
            {
                await WriteInputAsync(process, stdin => stdin.WriteAsync(spec.StandardInput.AsMemory(), deadline.Token)).ConfigureAwait(false);
            }

            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw (Exception?)overflow ?? new TimeoutException($"{spec.FileName} did not finish within {spec.Timeout.TotalSeconds:0.###} s");
        }

        if (overflow is not null)
        {
            throw overflow;
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), clock.Elapsed);
    }

    private static async Task<string> ReadBoundedAsync(StreamReader reader, int limit, Action overflow, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (text.Length + read > limit)
            {
                overflow();
                return string.Empty;
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private static async Task WriteInputAsync(Process process, Func<StreamWriter, Task> write)
    {
        try
        {
            await write(process.StandardInput).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited (or closed stdin) without reading everything: its exit code says what happened.
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone between the deadline and the kill.
        }
    }
}
