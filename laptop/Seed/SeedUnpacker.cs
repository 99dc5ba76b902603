using Thopter.Shared.Acceleration;
using Thopter.Shared.Seed;

namespace Thopter.Laptop.Seed;

/// <summary>
/// Places a seed stream's entries into a laptop folder without losing anything: an entry whose path exists on the
/// laptop (file, directory, link, anything) is skipped, never replaced; nothing is written through a symlink (every
/// parent must be a real directory, made here or found); a file is written to a staging directory inside SyncThing's
/// folder marker (.stfolder, which SyncThing never scans) with its mode and mtime, then moved into place with a
/// no-replace link, so SyncThing and every other device only ever see complete files. Entries the laptop's .stignore
/// ignores stay out. Directory modes and mtimes are set last (filling a directory changes its mtime, and its mode may forbid writing).
/// </summary>
public sealed class SeedUnpacker(string folderPath, IgnoreMatcher ignores)
{
    private const UnixFileMode NewDirectoryMode = (UnixFileMode)0x1ED; // 0755, for a parent the stream did not list

    // A directory is filled before it gets its own mode (which may forbid writing) at the end, with its mtime.
    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly HashSet<string> realDirectories = new(StringComparer.Ordinal) { string.Empty };
    private readonly List<SeedEntry> madeDirectories = [];
    private int written;
    private long bytes;
    private int existing;
    private int blocked;
    private int ignored;
    private int changed;

    public async Task<SeedOutcome> UnpackAsync(SeedReader reader, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(folderPath, Shared.Ignore.StIgnore.FolderMarker);
        if (!IsRealDirectory(marker))
        {
            throw new SeedFormatException($"{marker} is not a directory: SyncThing has not started this folder");
        }

        var staging = Path.Combine(marker, $"thopter-seed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var serial = 0;
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var admitted = Admit(entry.Path);
                switch (entry.Kind)
                {
                    case SeedEntryKind.File:
                        var temp = admitted ? Path.Combine(staging, (serial++).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
                        await PlaceFileAsync(reader, entry, temp, cancellationToken).ConfigureAwait(false);
                        break;
                    case SeedEntryKind.Directory when admitted:
                        PlaceDirectory(entry);
                        break;
                    case SeedEntryKind.Symlink when admitted:
                        PlaceSymlink(entry);
                        break;
                }
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        for (var i = madeDirectories.Count - 1; i >= 0; i--)
        {
            var made = Path.Combine(folderPath, madeDirectories[i].Path);
            File.SetUnixFileMode(made, madeDirectories[i].Mode);
            Directory.SetLastWriteTimeUtc(made, madeDirectories[i].ModifiedUtc);
        }

        return new SeedOutcome(written, madeDirectories.Count, bytes, existing, blocked, ignored, changed);
    }

    private bool Admit(string path)
    {
        if (ignores.IsIgnored(path))
        {
            ignored++;
            return false;
        }

        if (!EnsureParent(path))
        {
            blocked++;
            return false;
        }

        return true;
    }

    private async Task PlaceFileAsync(SeedReader reader, SeedEntry entry, string? temp, CancellationToken cancellationToken)
    {
        var target = Path.Combine(folderPath, entry.Path);
        if (temp is null || Exists(target))
        {
            if (temp is not null)
            {
                existing++;
            }

            await reader.CopyContentAsync(null, cancellationToken).ConfigureAwait(false);
            return;
        }

        bool intact;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using (var file = new FileStream(temp, options))
        {
            intact = await reader.CopyContentAsync(file, cancellationToken).ConfigureAwait(false);
        }

        if (!intact)
        {
            changed++;
            File.Delete(temp);
            return;
        }

        File.SetUnixFileMode(temp, entry.Mode);
        File.SetLastWriteTimeUtc(temp, entry.ModifiedUtc);
        try
        {
            File.Move(temp, target, overwrite: false);
            written++;
            bytes += entry.Size;
        }
        catch (IOException) when (Exists(target))
        {
            // Something appeared at the path meanwhile: it stays, the seed's copy goes.
            existing++;
            File.Delete(temp);
        }
    }

    private void PlaceDirectory(SeedEntry entry)
    {
        var target = Path.Combine(folderPath, entry.Path);
        if (Exists(target))
        {
            if (IsRealDirectory(target))
            {
                realDirectories.Add(entry.Path);
            }
            else
            {
                existing++;
            }

            return;
        }

        Directory.CreateDirectory(target, entry.Mode | OwnerAll);
        realDirectories.Add(entry.Path);
        madeDirectories.Add(entry);
    }

    private void PlaceSymlink(SeedEntry entry)
    {
        var target = Path.Combine(folderPath, entry.Path);
        try
        {
            // symlink(2) never replaces: an existing path makes it fail.
            File.CreateSymbolicLink(target, entry.LinkTarget!);
            written++;
        }
        catch (IOException) when (Exists(target))
        {
            existing++;
        }
    }

    /// <summary>Makes sure every parent of <paramref name="relative"/> is a real directory (made here when missing); false when one is a link or a file.</summary>
    private bool EnsureParent(string relative)
    {
        var slash = relative.LastIndexOf('/');
        var parent = slash < 0 ? string.Empty : relative[..slash];
        if (realDirectories.Contains(parent))
        {
            return true;
        }

        if (!EnsureParent(parent))
        {
            return false;
        }

        var full = Path.Combine(folderPath, parent);
        if (!Exists(full))
        {
            Directory.CreateDirectory(full, NewDirectoryMode);
        }
        else if (!IsRealDirectory(full))
        {
            return false;
        }

        realDirectories.Add(parent);
        return true;
    }

    // lstat: a symlink (also a dangling one) exists and is not a real directory.
    private static bool Exists(string path) => Attributes(path) is not null;

    private static bool IsRealDirectory(string path) =>
        Attributes(path) is { } attributes && attributes.HasFlag(FileAttributes.Directory) && !attributes.HasFlag(FileAttributes.ReparsePoint);

    private static FileAttributes? Attributes(string path)
    {
        try
        {
            return File.GetAttributes(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
