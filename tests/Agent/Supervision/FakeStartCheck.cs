using Thopter.Agent.Supervision;

namespace Thopter.Tests.Agent.Supervision;

/// <summary>
/// Stands in for <see cref="SyncthingStartCheck"/>, which reads /proc and the platform's machine-id: counts the checks and
/// fails on demand. The real check runs in the devbox tests (CloneSafetyTests, SupervisorOrphanTests).
/// </summary>
internal sealed class FakeStartCheck(Exception? failure = null) : IStartCheck
{
    public int Checks { get; private set; }

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        Checks++;
        return failure is null ? Task.CompletedTask : Task.FromException(failure);
    }
}
