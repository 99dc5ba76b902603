using Thopter.Shared.Releases;

namespace Thopter.Agent.Systemd;

/// <summary>
/// What runs: the SyncThing binary and its home (config + database). Both absolute, because the
/// user manager does not share our PATH or working directory.
/// </summary>
public sealed record SyncthingServiceSpec
{
    public const string DefaultUnitName = "thopter-syncthing.service";

    /// <summary>The accelerator's unit beside SyncThing's (see <see cref="AcceleratorUserUnit"/>).</summary>
    public const string AcceleratorUnitName = "thopter-accelerator.service";

    public SyncthingServiceSpec(string syncthingBinary, string homeDirectory, string unitName = DefaultUnitName)
    {
        RequireAbsolute(syncthingBinary, "the SyncThing binary");
        RequireAbsolute(homeDirectory, "the SyncThing home");
        if (!unitName.EndsWith(".service", StringComparison.Ordinal) || unitName.Length <= ".service".Length ||
            unitName.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@')))
        {
            throw new ArgumentException($"unit name '{unitName}' must be NAME.service with letters, digits, '-', '_', '.'");
        }

        SyncthingBinary = syncthingBinary;
        HomeDirectory = homeDirectory;
        UnitName = unitName;
    }

    public string SyncthingBinary { get; }

    public string HomeDirectory { get; }

    public string UnitName { get; }

    /// <summary>
    /// The agent binary that runs `accelerate` beside SyncThing (absolute), or null for SyncThing alone
    /// (setup --no-accelerator, for measuring SyncThing's own latency).
    /// </summary>
    public string? AgentBinary
    {
        get;
        init => field = OptionalAbsolute(value, "the agent binary");
    }

    /// <summary>The binary's release (v1.19.2, v2.1.3): its command line differs by major version. Null: 1.x.</summary>
    public string? SyncthingVersion { get; init; }

    /// <summary>
    /// The agent binary that runs `guard-identity` before every start (absolute), so a cloned disk never brings SyncThing
    /// up with the identity recorded for another instance; null only where no agent is at hand (tests of the unit alone).
    /// </summary>
    public string? IdentityGuard
    {
        get;
        init => field = OptionalAbsolute(value, "the identity guard");
    }

    /// <summary>`guard-identity`'s arguments (see <see cref="IdentityGuard"/>).</summary>
    public IReadOnlyList<string> GuardArguments => ["guard-identity", $"--home={HomeDirectory}"];

    /// <summary>
    /// SyncThing's arguments: no browser, no self-restart (the supervisor restarts it on exit
    /// codes 3/4 instead, so the process tree stays flat and signals reach SyncThing itself),
    /// no timestamps (journald and our logger add them).
    /// </summary>
    public IReadOnlyList<string> ServeArguments => SyncthingCli.Serve(SyncthingVersion, HomeDirectory);

    /// <summary>
    /// Upgrades are ours to make (the agent installs a verified binary), never SyncThing's. STHASHING=standard skips
    /// SyncThing 1.x's start-up race between two SHA-256 implementations (about 0.9 s of every start, measured in setup's
    /// timings); Go's own implementation uses the CPU's SHA instructions, and 2.x ignores the variable.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; } =
        new Dictionary<string, string> { ["STHASHING"] = "standard", ["STNORESTART"] = "1", ["STNOUPGRADE"] = "1" };

    private static string? OptionalAbsolute(string? path, string name)
    {
        if (path is not null)
        {
            RequireAbsolute(path, name);
        }

        return path;
    }

    private static void RequireAbsolute(string path, string name)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathRooted(path) || path.Any(char.IsControl))
        {
            throw new ArgumentException($"{name} must be an absolute path without control characters, got '{path}'");
        }
    }
}
