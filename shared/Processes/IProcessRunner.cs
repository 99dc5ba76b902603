namespace Thopter.Shared.Processes;

/// <summary>The seam for starting programs: unit tests hand in a fake, everything else the real runner.</summary>
public interface IProcessRunner
{
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default);
}

/// <summary>What to run. Arguments are passed as a list, never through a shell.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? StandardInput { get; init; }

    /// <summary>
    /// Writes the program's stdin as bytes (a binary file, with progress as it goes); stdin is closed when it returns.
    /// Takes the place of <see cref="StandardInput"/>.
    /// </summary>
    public Func<Stream, CancellationToken, Task>? InputWriter { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most characters read from stdout, and again from stderr: a program that prints more is killed and
    /// <see cref="ProcessOutputLimitException"/> raised, so a runaway remote cannot exhaust this process's memory.
    /// </summary>
    public int MaxOutputChars { get; init; } = 16 * 1024 * 1024;

    public override string ToString() => Arguments.Count == 0 ? FileName : $"{FileName} {string.Join(' ', Arguments)}";
}

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;
}
