using Thopter.Laptop.Conflicts.Store;
using Thopter.Shared.Conflicts;
using Thopter.Shared.IO;

namespace Thopter.Laptop.Conflicts.Collection;

/// <summary>What one sweep did: the versions it set aside, and how many copies were still changing (try again soon).</summary>
public sealed record CollectionResult(IReadOnlyList<ConflictRecord> Collected, int Unsettled);

/// <summary>
/// Moves every SyncThing conflict copy out of a synced folder into the <see cref="ConflictStore"/>, with its record.
/// Only names SyncThing's exact pattern matches are touched (never its temp files, never .stversions), and only once a
/// copy has stopped changing: SyncThing renames a copy into place whole, so a copy still changing is someone else's
/// write. Its removal from the folder is an ordinary delete to SyncThing, which takes it off every devbox too.
/// </summary>
public sealed class ConflictCollector(ConflictStore store, IVersionOrigins origins, TimeProvider time)
{
    /// <summary>How long a copy must keep its size and time to count as complete.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// One sweep, under the store's lock: a sweep running elsewhere (the daemon's, a CLI's) finishes first. With nothing
    /// to collect or finish it takes no lock and creates nothing.
    /// </summary>
    public async Task<CollectionResult> SweepAsync(CollectionTarget target, CancellationToken cancellationToken)
    {
        if (ConflictScanner.Scan(target.FolderPath).Count == 0 && store.Unrecorded(target.FolderId).Count == 0)
        {
            return new CollectionResult([], 0);
        }

        using (await store.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            return await SweepLockedAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CollectionResult> SweepLockedAsync(CollectionTarget target, CancellationToken cancellationToken)
    {
        var collected = await RecoverAsync(target, cancellationToken).ConfigureAwait(false);
        var found = ConflictScanner.Scan(target.FolderPath);
        if (found.Count == 0)
        {
            return new CollectionResult(collected, 0);
        }

        var first = found.ToDictionary(c => c.RelativePath, c => FileStamp.Of(Path.Combine(target.FolderPath, c.RelativePath)), StringComparer.Ordinal);
        await Task.Delay(Settle, time, cancellationToken).ConfigureAwait(false);
        // A copy gone meanwhile is neither: another sweep took it, or someone removed it.
        var now = found.Select(c => (Copy: c, Stamp: FileStamp.Of(Path.Combine(target.FolderPath, c.RelativePath)))).Where(c => c.Stamp is not null).ToList();
        var settled = now.Where(c => c.Stamp == first[c.Copy.RelativePath]).Select(c => c.Copy).ToList();
        var unsettled = now.Count - settled.Count;
        if (settled.Count == 0)
        {
            return new CollectionResult(collected, unsettled);
        }

        // Read once per sweep, and only when a copy is ready: a copy still being written is looked at again soon.
        var changes = await origins.DiskChangesAsync(cancellationToken).ConfigureAwait(false);
        // What this sweep stores joins the list: a second devbox's copy of the same version may be next in the folder.
        // The laptop's own copies go first: a devbox's copy of the same bytes is then the one that only leaves.
        var stored = store.List(target.FolderId).ToList();
        foreach (var copy in settled.OrderBy(c => AsideAuthor.MadeHere(changes, target.FolderId, c) ? 0 : 1))
        {
            var path = Path.Combine(target.FolderPath, copy.RelativePath);
            if (Returned(stored, copy, path))
            {
                File.Delete(path);
                continue;
            }

            var record = await CollectAsync(target, copy, changes, cancellationToken).ConfigureAwait(false);
            collected.Add(record);
            stored.Add(record);
        }

        return new CollectionResult(collected, unsettled);
    }

    /// <summary>
    /// A version the store already holds, byte for byte, that came back as a copy: under its own name (a devbox had
    /// fetched it before its removal arrived and announced it again as its own change, so SyncThing brings back a
    /// deleted file), or under another name for the same file while that conflict is open (a second devbox that saw the
    /// same two versions made its own copy a second later). It only leaves the folder again: no second conflict, and
    /// nothing is lost since the store keeps those bytes.
    /// </summary>
    private static bool Returned(IReadOnlyList<ConflictRecord> stored, ConflictFile copy, string path)
    {
        var size = new FileInfo(path).Length;
        var same = stored.Where(r => (r.Copy == copy.RelativePath || (r.Open && r.Original == copy.OriginalRelativePath)) && r.Aside.Size == size).ToList();
        return same.Count > 0 && ConflictStore.Sha256Of(path) is var sha && same.Any(r => r.Aside.Sha256 == sha);
    }

    /// <summary>
    /// Finishes collections cut short between their two steps: a stored version without a record gets its record now,
    /// and if the folder still holds the copy it came from (the same bytes), the copy leaves the folder as it would have.
    /// Stored versions that are not conflict copies (a resolve's replaced version, whose file stays in the folder until
    /// the resolve's last step) are left as they are.
    /// </summary>
    private async Task<List<ConflictRecord>> RecoverAsync(CollectionTarget target, CancellationToken cancellationToken)
    {
        var recovered = new List<ConflictRecord>();
        var unrecorded = store.Unrecorded(target.FolderId);
        var changes = unrecorded.Count == 0 ? [] : await origins.DiskChangesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var stored in unrecorded)
        {
            if (CopyOf(target.FolderId, stored) is not { } copyPath)
            {
                continue;
            }

            var name = ConflictName.TryParse(Path.GetFileName(copyPath))!;
            var original = Path.Combine(Path.GetDirectoryName(copyPath) ?? string.Empty, name.OriginalName);
            var copy = new ConflictFile(copyPath, original, name, File.Exists(Path.Combine(target.FolderPath, original)));
            var storedPath = Path.Combine(store.Root, target.FolderId, stored);
            var inFolder = Path.Combine(target.FolderPath, copyPath);
            var stillInFolder = File.Exists(inFolder) && ConflictStore.Sha256Of(inFolder) == ConflictStore.Sha256Of(storedPath);
            recovered.Add(await RecordAsync(target, copy, stored, changes, cancellationToken).ConfigureAwait(false));
            if (stillInFolder)
            {
                File.Delete(inFolder);
            }
        }

        return recovered;
    }

    /// <summary>
    /// The conflict copy a stored version came from: its own name, or, for the second and later version under one name
    /// (NAME.N.EXT, given only while NAME.EXT was taken in the store), that name without the tag.
    /// </summary>
    private string? CopyOf(string folderId, string stored)
    {
        var extension = Path.GetExtension(stored);
        var stem = stored[..^extension.Length];
        var dot = stem.LastIndexOf('.');
        if (dot > 0 && stem[(dot + 1)..] is { Length: > 0 } tag && tag.All(char.IsAsciiDigit))
        {
            var untagged = stem[..dot] + extension;
            var first = Path.Combine(store.Root, folderId, untagged);
            if (ConflictName.IsConflict(Path.GetFileName(untagged)) && (File.Exists(first) || File.Exists(first + ConflictStore.RecordSuffix)))
            {
                return untagged;
            }
        }

        return ConflictName.IsConflict(Path.GetFileName(stored)) ? stored : null;
    }

    private async Task<ConflictRecord> CollectAsync(CollectionTarget target, ConflictFile copy, IReadOnlyList<DiskChange> changes, CancellationToken cancellationToken)
    {
        // The version enters the store and leaves the folder first, then gets its record: a crash in between leaves a
        // version without a record (and perhaps still in the folder), which the next sweep's recovery finishes.
        var stored = store.Keep(target.FolderId, Path.Combine(target.FolderPath, copy.RelativePath), copy.RelativePath, removeSource: true);
        return await RecordAsync(target, copy, stored, changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the record of a version already in the store as <paramref name="stored"/>.</summary>
    private async Task<ConflictRecord> RecordAsync(CollectionTarget target, ConflictFile copy, string stored, IReadOnlyList<DiskChange> changes, CancellationToken cancellationToken)
    {
        // The copy holds the version the change of the device in its name replaced; SyncThing's disk changes say whose
        // (AsideAuthor). When they do not reach back far enough, the index's word on who made the copy stands in, and a
        // copy not indexed yet was made here, by moving the laptop's version aside.
        var asideDevice = AsideAuthor.Of(changes, target.FolderId, copy)
            ?? await origins.ModifiedByAsync(target.FolderId, copy.RelativePath, cancellationToken).ConfigureAwait(false)
            ?? (copy.Name.ShortDeviceId != target.LaptopShortId ? target.LaptopShortId : null);
        var currentDevice = await origins.ModifiedByAsync(target.FolderId, copy.OriginalRelativePath, cancellationToken).ConfigureAwait(false)
            ?? copy.Name.ShortDeviceId;
        var current = Facts(Path.Combine(target.FolderPath, copy.OriginalRelativePath), currentDevice, target.Names);
        var record = new ConflictRecord
        {
            Folder = target.FolderId,
            Original = copy.OriginalRelativePath,
            Copy = copy.RelativePath,
            Stored = stored,
            ConflictTime = copy.Name.Time,
            CollectedAt = time.GetUtcNow(),
            Aside = Facts(Path.Combine(store.Root, target.FolderId, stored), asideDevice, target.Names),
            Current = current,
        };
        store.Add(record);
        return record;
    }

    /// <summary>Size, hash and time of a file, named for the device whose version it is.</summary>
    public static VersionFacts Facts(string path, string? device, IReadOnlyDictionary<string, string> names)
    {
        var info = new FileInfo(path);
        var devbox = device is not null && names.TryGetValue(device, out var name) ? name : null;
        return info.Exists
            ? new VersionFacts { Device = device, Devbox = devbox, Exists = true, Size = info.Length, Sha256 = ConflictStore.Sha256Of(path), Modified = info.LastWriteTimeUtc }
            : new VersionFacts { Device = device, Devbox = devbox, Exists = false };
    }
}
