using System.Globalization;
using Thopter.Shared.Identity;
using Thopter.Shared.IO;

namespace Thopter.Agent.Setup;

/// <summary>
/// Makes sure SyncThing's home holds an identity that belongs to this instance: created when missing, adopted (and
/// recorded) when it has no record, regenerated when it was made for another instance (this disk is a clone).
/// The old key pair is backed up (0600) before it is replaced, never silently lost.
/// </summary>
public sealed class IdentityProvisioner(SetupPaths paths, TimeProvider time)
{
    public IdentityOutcome Ensure(string instanceId)
    {
        var home = paths.SyncthingHome;
        var recorded = ReadRecord();
        if (!SyncthingIdentity.Exists(home))
        {
            var leftovers = BackUpAndRemove("incomplete");
            var created = SyncthingIdentity.Generate(home, time);
            Record(instanceId);
            var reason = leftovers.Count == 0 ? $"no identity in {home}" : $"only one of cert.pem/key.pem was in {home}";
            return new IdentityOutcome(created.DeviceId, IdentityAction.Created, reason, instanceId, leftovers);
        }

        SyncthingIdentity current;
        try
        {
            current = SyncthingIdentity.Load(home);
        }
        catch (IdentityCorruptException error)
        {
            return Regenerate(instanceId, "unreadable", $"the identity could not be read ({error.Reason})");
        }

        if (recorded is null)
        {
            Record(instanceId);
            return new IdentityOutcome(current.DeviceId, IdentityAction.Kept, "adopted the existing identity and recorded this instance", instanceId, []);
        }

        return recorded == instanceId
            ? new IdentityOutcome(current.DeviceId, IdentityAction.Kept, "the identity was made for this instance", instanceId, [])
            : Regenerate(instanceId, "clone", $"the identity was made for instance {recorded}, this is {instanceId} (a clone of another devbox)");
    }

    /// <summary>Backs up and replaces the identity whatever its state (reset-identity).</summary>
    public IdentityOutcome Reset(string instanceId) =>
        Regenerate(instanceId, "reset", "reset-identity was asked for a new identity");

    /// <summary>Removes identity and record (prepare-snapshot); returns the paths removed.</summary>
    public IReadOnlyList<string> Remove()
    {
        var removed = new List<string>();
        foreach (var path in IdentityFiles().Append(paths.InstanceRecord))
        {
            if (File.Exists(path))
            {
                File.Delete(path);
                removed.Add(path);
            }
        }

        return removed;
    }

    public string? ReadRecord()
    {
        try
        {
            var text = File.ReadAllText(paths.InstanceRecord).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private IdentityOutcome Regenerate(string instanceId, string why, string reason)
    {
        var backups = BackUpAndRemove(why);
        var created = SyncthingIdentity.Generate(paths.SyncthingHome, time);
        Record(instanceId);
        return new IdentityOutcome(created.DeviceId, IdentityAction.Regenerated, reason, instanceId, backups);
    }

    private void Record(string instanceId) =>
        AtomicFile.WriteText(paths.InstanceRecord, instanceId + "\n", AtomicFile.PublicMode, keepBackup: false);

    private IEnumerable<string> IdentityFiles() =>
    [
        Path.Combine(paths.SyncthingHome, SyncthingIdentity.CertificateFileName),
        Path.Combine(paths.SyncthingHome, SyncthingIdentity.KeyFileName),
    ];

    /// <summary>Copies each identity file to NAME.WHY-TIMESTAMP (0600: the key is secret) and only then removes it.</summary>
    private List<string> BackUpAndRemove(string why)
    {
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var present = IdentityFiles().Where(File.Exists).ToList();
        var backups = new List<string>();
        foreach (var path in present)
        {
            var backup = $"{path}.{why}-{stamp}";
            AtomicFile.CopyWithMode(path, backup, AtomicFile.PrivateMode);
            backups.Add(backup);
        }

        present.ForEach(File.Delete);
        return backups;
    }
}
