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
                replaced = PutInPlace(record, CopyBeside(store.PathOf(record), original), original, now);
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

    /// <summary>
    /// Puts the aside version (at <paramref name="temp"/>) in the file's place and returns the store entry of the version
    /// it displaced. The two names are swapped in one step, so what goes to the store is exactly what was in place at
    /// that instant, even a version SyncThing renamed there a moment before: a resolve racing a sync loses nothing.
    /// Where the file system cannot swap, the version in place is linked into the store first, then replaced.
    /// </summary>
    private ConflictRecord? PutInPlace(ConflictRecord record, string temp, string original, DateTimeOffset now)
    {
        if (!File.Exists(original))
        {
            try
            {
                // Without overwrite .NET links the temp to the name and unlinks the temp: it fails if the name is taken.
                File.Move(temp, original, overwrite: false);
                return null;
            }
            catch (IOException) when (File.Exists(original))
            {
                // SyncThing put a version there meanwhile: it is swapped out and kept like any other.
            }
        }

        if (store.Links.TryExchange(temp, original))
        {
            return Replaced(record, temp, now, removeSource: true);
        }

        var replaced = Replaced(record, original, now, removeSource: false);
        File.Move(temp, original, overwrite: true);
        return replaced;
    }

    /// <summary>The version displaced from the folder (at <paramref name="path"/>), into the store, resolved at birth.</summary>
    private ConflictRecord Replaced(ConflictRecord record, string path, DateTimeOffset now, bool removeSource)
    {
        var facts = ConflictCollector.Facts(path, record.Current.Device, record.Current.Devbox is { } devbox && record.Current.Device is { } device
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [device] = devbox }
            : new Dictionary<string, string>());
        var name = TaggedName.Of(record.Original, "replaced-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var entry = new ConflictRecord
        {
            Folder = record.Folder,
            Original = record.Original,
            Copy = record.Original,
            Stored = store.Keep(record.Folder, path, name, removeSource),
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
