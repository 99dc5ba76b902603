using Thopter.Shared.Acceleration;
using Thopter.Shared.Seed;

namespace Thopter.Agent.Seed;

/// <summary>
/// Writes a folder's entries that SyncThing would sync into a seed stream: directories before their contents, regular
/// files with their mode and mtime, symlinks as links (never followed). Skipped: what .stignore ignores (an ignored
/// directory is not even entered unless a '!' pattern could take something below it back), SyncThing's own paths,
/// names that are not valid UTF-8 (SyncThing refuses them too), FIFOs, sockets, and entries that vanish meanwhile.
/// </summary>
public sealed class FolderPacker(string folderPath, IgnoreMatcher ignores)
{
    /// <summary>Directories that could not be listed (no permission), relative to the folder.</summary>
    public List<string> Unreadable { get; } = [];

    public async Task PackAsync(SeedWriter writer, CancellationToken cancellationToken)
    {
        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.TryPop(out var relative))
        {
            foreach (var child in List(relative))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = relative.Length == 0 ? child.Name : $"{relative}/{child.Name}";
                if (SeedPath.Problem(path) is not null || path.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    continue;
                }

                if (child.Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    if (!ignores.IsIgnored(path) && child.LinkTarget is { } target)
                    {
                        await writer.WriteSymlinkAsync(path, target, child.LastWriteTimeUtc, cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (child is DirectoryInfo directory)
                {
                    if (ignores.SkipsDirectory(path))
                    {
                        continue;
                    }

                    if (!ignores.IsIgnored(path))
                    {
                        await writer.WriteDirectoryAsync(path, directory.UnixFileMode, directory.LastWriteTimeUtc, cancellationToken).ConfigureAwait(false);
                    }

                    pending.Push(path);
                }
                else if (!ignores.IsIgnored(path))
                {
                    await PackFileAsync(writer, path, child.FullName, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private List<FileSystemInfo> List(string relative)
    {
        try
        {
            return [.. new DirectoryInfo(relative.Length == 0 ? folderPath : Path.Combine(folderPath, relative)).EnumerateFileSystemInfos()];
        }
        catch (DirectoryNotFoundException) when (relative.Length > 0)
        {
            return [];
        }
        catch (UnauthorizedAccessException) when (relative.Length > 0)
        {
            Unreadable.Add(relative);
            return [];
        }
    }

    // Size, mode and mtime come from the open file itself, and are read again afterwards: a file written while it was
    // being packed is sent as changed, and the laptop leaves it to SyncThing.
    private static async Task PackFileAsync(SeedWriter writer, string path, string fullPath, CancellationToken cancellationToken)
    {
        await using var content = NoFollowOpen.RegularFile(fullPath);
        if (content is null)
        {
            return;
        }

        var handle = content.SafeFileHandle;
        var size = RandomAccess.GetLength(handle);
        var modified = File.GetLastWriteTimeUtc(handle);
        await writer.WriteFileAsync(
            path,
            File.GetUnixFileMode(handle),
            modified,
            size,
            content,
            () => RandomAccess.GetLength(handle) == size && File.GetLastWriteTimeUtc(handle) == modified,
            cancellationToken).ConfigureAwait(false);
    }
}
