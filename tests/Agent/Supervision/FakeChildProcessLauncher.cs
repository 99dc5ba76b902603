using System.Collections.Concurrent;
using Thopter.Agent.Supervision;

namespace Thopter.Tests.Agent.Supervision;

/// <summary>
/// Stands in for SyncThing where a unit test needs exact exit codes on demand (a real process
/// cannot be made to crash with code N on cue); the real launcher runs in the integration checks.
/// Each started child exits with the next scripted code; once the script runs out children run until terminated.
/// </summary>
internal sealed class FakeChildProcessLauncher(params int[] exitCodes) : IChildProcessLauncher
{
    private readonly Queue<int> script = new(exitCodes);

    public ConcurrentQueue<FakeChild> Started { get; } = new();

    public bool IgnoreTerminate { get; init; }

    public IChildProcess Start(string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var child = new FakeChild(Started.Count + 100, fileName, arguments, environment, IgnoreTerminate);
        if (script.TryDequeue(out var code))
        {
            child.Exit(code);
        }

        Started.Enqueue(child);
        return child;
    }

    internal sealed class FakeChild(int id, string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, bool ignoreTerminate)
        : IChildProcess
    {
        private readonly TaskCompletionSource<int> exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Id { get; } = id;

        public string FileName { get; } = fileName;

        public IReadOnlyList<string> Arguments { get; } = arguments;

        public IReadOnlyDictionary<string, string> Environment { get; } = environment;

        public bool Terminated { get; private set; }

        public bool Killed { get; private set; }

        public void Exit(int code) => exit.TrySetResult(code);

        public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => exit.Task.WaitAsync(cancellationToken);

        public void Terminate()
        {
            Terminated = true;
            if (!ignoreTerminate)
            {
                Exit(143);
            }
        }

        public void Kill()
        {
            Killed = true;
            Exit(137);
        }

        public void Dispose()
        {
        }
    }
}
