using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Thopter.Shared.IO;

namespace Thopter.Laptop.Conflicts.Store;

/// <summary>
/// Every version set aside from a synced folder, outside every synced folder: <c>ROOT/FOLDER/PATH</c> with its record
/// beside it. A version enters by a hard link (same file system: nothing copied) or else by a copy flushed to disk,
/// and only then leaves the folder; a name already taken in the store is never reused, so no version is ever
/// overwritten. Only <see cref="Purge"/> deletes.
/// </summary>
public sealed class ConflictStore(string root, IFileLinks links)
{
    public const string RecordSuffix = ".record.json";
    private const string CopyTempSuffix = ".copying.tmp";

    public string Root { get; } = root;

    /// <summary>The file system's names as this store uses them (a resolve swaps versions in place with them).</summary>
    public IFileLinks Links { get; } = links;

    /// <summary>~/.local/state/thopter/conflicts.</summary>
    public static string DefaultRoot(string home) => Path.Combine(home, ".local", "state", "thopter", "conflicts");

    public static ConflictStore ForHome(string home) => new(DefaultRoot(home), new FileLinks());

    public string PathOf(ConflictRecord record) => Path.Combine(Root, record.Folder, record.Stored);

    /// <summary>How long a sweep or a resolve waits for another one (the daemon's, a CLI's) to finish.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Holds the store's lock (<c>ROOT/.lock</c>) until disposed: one sweep or resolve at a time across the daemon and
    /// every CLI, so two that find the same copy never both store it.
    /// </summary>
    public Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        EnsurePrivate(Root);
        return FileLock.AcquireAsync(Path.Combine(Root, ".lock"), $"the lock on the conflict store {Root} (another sweep or resolve is running)", LockTimeout, cancellationToken);
    }

    /// <summary>
    /// Puts the file at <paramref name="source"/> into the store as <paramref name="relativeName"/> (or the next free
    /// variant of it) and returns the name it got. <paramref name="removeSource"/>: the file leaves its place once it
    /// is safely in the store (a move); otherwise it stays (the store holds a second name or copy of it).
    /// </summary>
    public string Keep(string folderId, string source, string relativeName, bool removeSource)
    {
        var directory = Path.Combine(Root, folderId);
        EnsurePrivate(Root);
        EnsurePrivate(directory);
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? relativeName : TaggedName.Of(relativeName, n.ToString(CultureInfo.InvariantCulture));
            var target = Path.Combine(directory, candidate);
            if (File.Exists(target + RecordSuffix) || Directory.Exists(target))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                if (!Links.TryLink(source, target))
                {
                    CopyNew(source, target);
                }
            }
            catch (FileAlreadyExistsException)
            {
                continue;
            }

            if (removeSource)
            {
                File.Delete(source);
            }

            return candidate;
        }
    }

    /// <summary>Writes a new record; one already there is an error (each stored version has exactly one).</summary>
    public void Add(ConflictRecord record) =>
        AtomicFile.CreateNew(PathOf(record) + RecordSuffix, Serialize(record), AtomicFile.PrivateMode);

    /// <summary>Writes a changed record (a resolution) in place of its old one.</summary>
    public void Update(ConflictRecord record) =>
        AtomicFile.Write(PathOf(record) + RecordSuffix, Serialize(record), AtomicFile.PrivateMode, keepBackup: false);

    /// <summary>Every record in the store (of one folder when given), oldest first.</summary>
    public IReadOnlyList<ConflictRecord> List(string? folderId = null)
    {
        var directory = folderId is null ? Root : Path.Combine(Root, folderId);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return [.. Directory.EnumerateFiles(directory, "*" + RecordSuffix, options)
            .Select(Read)
            .OrderBy(r => r.CollectedAt)
            .ThenBy(r => r.Stored, StringComparer.Ordinal)];
    }

    public IReadOnlyList<ConflictRecord> Open(string? folderId = null) => [.. List(folderId).Where(r => r.Open)];

    /// <summary>
    /// Stored versions without a record, relative to the folder's directory in the store: a collection cut short (a
    /// crash, a kill) between its two steps. A version always enters before its record, so nothing else leaves one;
    /// temp files of a copy cut short are not versions (the folder still holds the file they were copying).
    /// </summary>
    public IReadOnlyList<string> Unrecorded(string folderId)
    {
        var directory = Path.Combine(Root, folderId);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return [.. Directory.EnumerateFiles(directory, "*", options)
            .Where(p => !p.EndsWith(RecordSuffix, StringComparison.Ordinal) && !IsCopyTemp(Path.GetFileName(p)) && !File.Exists(p + RecordSuffix))
            .Select(p => Path.GetRelativePath(directory, p))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Deletes every stored version (and its record) collected before <paramref name="before"/>; returns them.</summary>
    public IReadOnlyList<ConflictRecord> Purge(DateTimeOffset before)
    {
        var purged = List().Where(r => r.CollectedAt < before).ToList();
        foreach (var record in purged)
        {
            File.Delete(PathOf(record));
            File.Delete(PathOf(record) + RecordSuffix);
        }

        return purged;
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private ConflictRecord Read(string recordPath)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(recordPath), ConflictJsonContext.Default.ConflictRecord)
                ?? throw new JsonException("the record is null");
        }
        catch (Exception error) when (error is JsonException or NotSupportedException)
        {
            throw new ConflictStoreException($"the conflict record {recordPath} is damaged ({error.Message}); its version is beside it", error);
        }
    }

    private static byte[] Serialize(ConflictRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, ConflictJsonContext.Default.ConflictRecord);

    /// <summary>Copies into a new file flushed to disk before it takes its name; the name is taken only if still free.</summary>
    private static void CopyNew(string source, string target)
    {
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}{CopyTempSuffix}");
        try
        {
            using (var input = File.OpenRead(source))
            using (var output = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = AtomicFile.PrivateMode }))
            {
                input.CopyTo(output);
                output.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temp, File.GetUnixFileMode(source));
            try
            {
                // Without overwrite .NET links the temp to the name and unlinks the temp: it fails if the name is taken.
                File.Move(temp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                throw new FileAlreadyExistsException(target);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static bool IsCopyTemp(string name) => name.StartsWith('.') && name.EndsWith(CopyTempSuffix, StringComparison.Ordinal);

    private static void EnsurePrivate(string directory)
    {
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(directory, owner);
    }
}

/// <summary>The store holds something it cannot read.</summary>
public sealed class ConflictStoreException(string message, Exception inner) : IOException(message, inner);
