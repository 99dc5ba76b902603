using System.Globalization;
using Thopter.Shared.Devices;
using Thopter.Shared.Identity;
using Thopter.Shared.IO;

namespace Thopter.Agent.Setup;

/// <summary>
/// Makes sure SyncThing's home holds an identity that belongs to this instance: created when missing (or restored from
/// what prepare-snapshot set aside for this very instance), adopted (and recorded) when it has no record, regenerated
/// when it was made for another instance (this disk is a clone). The old key pair is backed up (0600) before it is
/// replaced, never silently lost, and whatever belongs with an identity is rotated with it (<see cref="IdentityRotation"/>).
/// </summary>
/// <param name="platform">This machine's platform fingerprint (<see cref="InstanceId.FromPlatform"/>).</param>
public sealed class IdentityProvisioner(SetupPaths paths, TimeProvider time, string platform)
{
    private const string SetAsideTag = "snapshot-";

    /// <summary>Setup: the identity must have been made for <paramref name="instanceId"/>.</summary>
    public IdentityOutcome Ensure(string instanceId) =>
        EnsureFor(new InstanceRecord(instanceId, platform), record => record.Instance == instanceId);

    /// <summary>
    /// Before every SyncThing start (the unit's ExecStartPre, the fallback supervisor): with no --instance-id to go by, the
    /// identity must have been made on this platform (same machine-id and hostname).
    /// </summary>
    public IdentityOutcome Guard() =>
        EnsureFor(new InstanceRecord(platform, platform), record => record.Platform == platform);

    /// <summary>Backs up and replaces the identity whatever its state (reset-identity).</summary>
    public IdentityOutcome Reset()
    {
        var record = ReadRecord() ?? new InstanceRecord(platform, platform);
        return Regenerate(record, "reset", "reset-identity was asked for a new identity");
    }

    /// <summary>
    /// prepare-snapshot: moves the key pair aside under this instance's name (0600) and removes the record, so a clone
    /// makes its own identity while setup on this very instance restores it. Returns the set-aside files.
    /// </summary>
    public IReadOnlyList<string> SetAside()
    {
        var tag = SetAsideTag + (ReadRecord()?.Instance ?? platform);
        var moved = BackUpAndRemove(_ => tag);
        File.Delete(paths.InstanceRecord);
        return moved;
    }

    public InstanceRecord? ReadRecord() => InstanceRecord.Read(paths.InstanceRecord);

    private IdentityOutcome EnsureFor(InstanceRecord wanted, Func<InstanceRecord, bool> belongsHere)
    {
        var home = paths.SyncthingHome;
        if (!SyncthingIdentity.Exists(home))
        {
            if (TryRestore(wanted.Instance) is { } restored)
            {
                wanted.Write(paths.InstanceRecord);
                return new IdentityOutcome(restored, IdentityAction.Restored, "prepare-snapshot set this instance's identity aside", wanted.Instance, []);
            }

            var leftovers = BackUpAndRemove(Stamped("incomplete"));
            var created = SyncthingIdentity.Generate(home, time);
            new IdentityRotation(paths).Apply(null, created.DeviceId, InstanceId.Hostname());
            wanted.Write(paths.InstanceRecord);
            var reason = leftovers.Count == 0 ? $"no identity in {home}" : $"only one of cert.pem/key.pem was in {home}";
            return new IdentityOutcome(created.DeviceId, IdentityAction.Created, reason, wanted.Instance, leftovers);
        }

        SyncthingIdentity current;
        try
        {
            current = SyncthingIdentity.Load(home);
        }
        catch (IdentityCorruptException error)
        {
            return Regenerate(wanted, "unreadable", $"the identity could not be read ({error.Reason})");
        }

        var recorded = ReadRecord();
        if (recorded is null)
        {
            wanted.Write(paths.InstanceRecord);
            return new IdentityOutcome(current.DeviceId, IdentityAction.Kept, "adopted the existing identity and recorded this instance", wanted.Instance, []);
        }

        return belongsHere(recorded)
            ? new IdentityOutcome(current.DeviceId, IdentityAction.Kept, "the identity was made for this instance", recorded.Instance, [])
            : Regenerate(wanted, "clone", $"the identity was made for instance {recorded.Instance}, this is {wanted.Instance} (a clone of another devbox)");
    }

    private IdentityOutcome Regenerate(InstanceRecord wanted, string why, string reason)
    {
        var previous = TryLoadId();
        var backups = BackUpAndRemove(Stamped(why));
        var created = SyncthingIdentity.Generate(paths.SyncthingHome, time);
        new IdentityRotation(paths).Apply(previous, created.DeviceId, InstanceId.Hostname());
        wanted.Write(paths.InstanceRecord);
        return new IdentityOutcome(created.DeviceId, IdentityAction.Regenerated, reason, wanted.Instance, backups);
    }

    /// <summary>Puts back the key pair prepare-snapshot set aside for <paramref name="instance"/>; null when there is none that loads.</summary>
    private DeviceId? TryRestore(string instance)
    {
        var pairs = IdentityFiles().Select(path => (Live: path, Aside: $"{path}.{SetAsideTag}{instance}")).ToList();
        if (!pairs.All(pair => File.Exists(pair.Aside)))
        {
            return null;
        }

        foreach (var (live, aside) in pairs)
        {
            File.Delete(live);
            AtomicFile.CopyWithMode(aside, live, live.EndsWith(SyncthingIdentity.KeyFileName, StringComparison.Ordinal) ? AtomicFile.PrivateMode : AtomicFile.PublicMode);
        }

        var restored = TryLoadId();
        if (restored is null)
        {
            pairs.ForEach(pair => File.Delete(pair.Live));
            return null;
        }

        pairs.ForEach(pair => File.Delete(pair.Aside));
        return restored;
    }

    private DeviceId? TryLoadId()
    {
        try
        {
            return SyncthingIdentity.Load(paths.SyncthingHome).DeviceId;
        }
        catch (Exception error) when (error is IdentityCorruptException or IdentityMissingException)
        {
            return null;
        }
    }

    private Func<string, string> Stamped(string why)
    {
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        return _ => $"{why}-{stamp}";
    }

    private IEnumerable<string> IdentityFiles() =>
    [
        Path.Combine(paths.SyncthingHome, SyncthingIdentity.CertificateFileName),
        Path.Combine(paths.SyncthingHome, SyncthingIdentity.KeyFileName),
    ];

    /// <summary>Copies each identity file to NAME.TAG (0600: the key is secret) and only then removes it.</summary>
    private List<string> BackUpAndRemove(Func<string, string> tagFor)
    {
        var present = IdentityFiles().Where(File.Exists).ToList();
        var backups = new List<string>();
        foreach (var path in present)
        {
            var backup = $"{path}.{tagFor(path)}";
            AtomicFile.CopyWithMode(path, backup, AtomicFile.PrivateMode);
            backups.Add(backup);
        }

        present.ForEach(File.Delete);
        return backups;
    }
}
