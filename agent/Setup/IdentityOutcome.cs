using Thopter.Shared.Devices;

namespace Thopter.Agent.Setup;

/// <summary>The identity's <c>action</c> values in setup's JSON.</summary>
public static class IdentityAction
{
    public const string Created = "created";
    public const string Kept = "kept";
    public const string Regenerated = "regenerated";

    /// <summary>Put back from what prepare-snapshot set aside on this very instance.</summary>
    public const string Restored = "restored";
}

/// <summary>What became of the identity, and why. <paramref name="Backups"/> lists the files the old identity was moved to.</summary>
public sealed record IdentityOutcome(DeviceId DeviceId, string Action, string Reason, string InstanceId, IReadOnlyList<string> Backups)
{
    public bool Changed => Action != IdentityAction.Kept;
}
