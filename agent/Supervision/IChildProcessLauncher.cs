namespace Thopter.Agent.Supervision;

/// <summary>Starts the supervised program. Unit tests pass a fake; <see cref="ChildProcessLauncher"/> is the real one.</summary>
public interface IChildProcessLauncher
{
    IChildProcess Start(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment);
}

public interface IChildProcess : IDisposable
{
    int Id { get; }

    /// <summary>Completes with the exit code (128 + signal when a signal killed it).</summary>
    Task<int> WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>SIGTERM: SyncThing shuts down cleanly on it.</summary>
    void Terminate();

    void Kill();
}
