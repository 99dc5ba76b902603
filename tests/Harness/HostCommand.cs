using System.Diagnostics;

namespace Thopter.Tests.Harness;

/// <summary>Runs a host program to completion and returns its stdout; a non-zero exit throws with its stderr.</summary>
public static class HostCommand
{
    /// <param name="hint">Appended to the error: what the program needs (root, a package).</param>
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken ct, string? hint = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {(await stderr).Trim()}{(hint is null ? string.Empty : $" ({hint})")}");
    }
}
