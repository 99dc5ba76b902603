using System.Globalization;
using Thopter.Laptop.Conflicts.Collection;
using Thopter.Laptop.Conflicts.Store;

namespace Thopter.Laptop.Conflicts;

/// <summary>Which version a resolve keeps in the folder.</summary>
public enum KeepChoice
{
    /// <summary>The one in the folder; the set-aside version stays in the store.</summary>
    Current,

    /// <summary>The set-aside one goes back in place; the one it replaces goes into the store.</summary>
    Aside,

    /// <summary>Both: the set-aside one is restored beside the file as NAME.from-WHO.EXT.</summary>
    Both,
}

/// <summary>What resolving did: the record as now resolved, and for "aside" the store entry of the replaced version.</summary>
public sealed record Resolution(ConflictRecord Record, ConflictRecord? Replaced);

/// <summary>
/// Settles an open conflict from the store. Nothing is deleted: the set-aside version stays in the store whatever
/// is kept, and a version a restore replaces enters the store first. Files are written into the folder whole (a
/// copy under SyncThing's own temp name, which it never syncs, then a rename), so SyncThing syncs only the result.
/// </summary>
public sealed class ConflictResolver(ConflictStore store, TimeProvider time)
{
    public Resolution Resolve(ConflictRecord record, string folderPath, KeepChoice keep)
    {
        if (!record.Open)
        {
            throw new InvalidOperationException($"{record.Copy} was already resolved ({record.Resolved!.Keep})");
        }

        var now = time.GetUtcNow();
        var original = Path.Combine(folderPath, record.Original);
        ConflictRecord? replaced = null;
        switch (keep)
        {
            case KeepChoice.Current:
                record.Resolved = new ConflictResolution { At = now, Keep = "current" };
                break;
            case KeepChoice.Aside:
                var temp = CopyBeside(store.PathOf(record), original);
                if (File.Exists(original))
                {
                    replaced = Replaced(record, original, now);
                }

                File.Move(temp, original, overwrite: true);
                record.Resolved = new ConflictResolution { At = now, Keep = "aside", Replaced = replaced?.Stored };
                break;
            default:
                var both = FreeName(TaggedName.Of(original, "from-" + record.Aside.Who));
                File.Move(CopyBeside(store.PathOf(record), both), both, overwrite: false);
                record.Resolved = new ConflictResolution { At = now, Keep = "both", RestoredAs = Path.GetRelativePath(folderPath, both) };
                break;
        }

        store.Update(record);
        return new Resolution(record, replaced);
    }

    /// <summary>The version in the folder, into the store (a second name, so the folder keeps it until the rename), resolved at birth.</summary>
    private ConflictRecord Replaced(ConflictRecord record, string original, DateTimeOffset now)
    {
        var facts = ConflictCollector.Facts(original, record.Current.Device, record.Current.Devbox is { } devbox && record.Current.Device is { } device
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [device] = devbox }
            : new Dictionary<string, string>());
        var name = TaggedName.Of(record.Original, "replaced-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var entry = new ConflictRecord
        {
            Folder = record.Folder,
            Original = record.Original,
            Copy = record.Original,
            Stored = store.Keep(record.Folder, original, name, removeSource: false),
            CollectedAt = now,
            Aside = facts,
            Current = record.Aside,
            Resolved = new ConflictResolution { At = now, Keep = "aside" },
        };
        store.Add(entry);
        return entry;
    }

    /// <summary>Copies into a temp file beside <paramref name="target"/> named the way SyncThing names its own temp files (never scanned or synced).</summary>
    private static string CopyBeside(string source, string target)
    {
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".syncthing.thopter-{Guid.NewGuid():N}-{Path.GetFileName(target)}.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, temp);
        using (var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Flush(flushToDisk: true);
        }

        return temp;
    }

    private static string FreeName(string path)
    {
        var candidate = path;
        for (var n = 2; File.Exists(candidate) || Directory.Exists(candidate); n++)
        {
            candidate = TaggedName.Of(path, n.ToString(CultureInfo.InvariantCulture));
        }

        return candidate;
    }
}
