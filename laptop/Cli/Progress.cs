namespace Thopter.Laptop.Cli;

/// <summary>
/// Progress lines for a person watching: on stderr, only when stderr is a terminal (scripts and --json get none),
/// so stdout stays the result and logs stay quiet.
/// </summary>
public sealed class Progress(TextWriter error, bool enabled)
{
    private string? lastUpdate;

    public bool Enabled { get; } = enabled;

    /// <summary>A finished step, on its own line.</summary>
    public void Step(string line)
    {
        if (!Enabled)
        {
            return;
        }

        EndUpdate();
        error.WriteLine(line);
    }

    /// <summary>A changing status, rewritten in place.</summary>
    public void Update(string line)
    {
        if (!Enabled || line == lastUpdate)
        {
            return;
        }

        error.Write($"\r\u001b[2K{line}");
        lastUpdate = line;
    }

    public void EndUpdate()
    {
        if (lastUpdate is not null)
        {
            error.WriteLine();
            lastUpdate = null;
        }
    }
}
