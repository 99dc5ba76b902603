namespace Thopter.Tests.Agent.Setup;

/// <summary>A clock stopped at one instant, so backup names are predictable.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
