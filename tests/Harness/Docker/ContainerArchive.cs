using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Thopter.Tests.Harness.Docker;

/// <summary>
/// `docker cp` through the Engine API: a host file or directory goes in as a tar (modes kept, owned
/// by the given numeric ids), and comes out by unpacking the tar the engine sends.
/// </summary>
internal static class ContainerArchive
{
    /// <summary>Puts <paramref name="hostPath"/> at <paramref name="containerPath"/> (whose parent must exist), owned by <paramref name="uid"/>:<paramref name="gid"/>.</summary>
    public static async Task CopyInAsync(IDockerClient client, string containerId, string hostPath, string containerPath, int uid, int gid, CancellationToken cancellationToken)
    {
        var (parent, name) = Split(containerPath);
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (Directory.Exists(hostPath))
            {
                await AddDirectoryAsync(writer, hostPath, name, uid, gid, cancellationToken);
            }
            else
            {
                await AddFileAsync(writer, hostPath, name, uid, gid, cancellationToken);
            }
        }

        tar.Position = 0;
        await client.Containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = parent }, tar, cancellationToken);
    }

    /// <summary>Writes the container's file or directory <paramref name="containerPath"/> to <paramref name="hostPath"/>.</summary>
    public static async Task CopyOutAsync(IDockerClient client, string containerId, string containerPath, string hostPath, CancellationToken cancellationToken)
    {
        var archive = await client.Containers.GetArchiveFromContainerAsync(containerId, new ContainerPathStatParameters { Path = containerPath }, statOnly: false, cancellationToken);
        using var buffer = new MemoryStream();
        await using (var stream = archive.Stream ?? throw new InvalidOperationException($"the engine sent no archive for {containerPath}"))
        {
            // The engine's chunked stream throws instead of ending where the tar reader looks for end-of-archive blocks.
            await stream.CopyToAsync(buffer, cancellationToken);
        }

        buffer.Position = 0;
        await using var reader = new TarReader(buffer);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            // Entries are named from the copied item's own name: swap that first segment for the host path.
            var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
            var rest = slash < 0 ? string.Empty : entry.Name[(slash + 1)..].TrimEnd('/');
            var target = rest.Length == 0 ? hostPath : Path.Combine(hostPath, rest);
            if (entry.EntryType == TarEntryType.Directory)
            {
                Directory.CreateDirectory(target);
            }
            else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
            }
        }
    }

    private static (string Parent, string Name) Split(string containerPath)
    {
        var trimmed = containerPath.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 || slash == trimmed.Length - 1
            ? throw new ArgumentException($"'{containerPath}' is not an absolute path to a file or directory in the devbox")
            : (slash == 0 ? "/" : trimmed[..slash], trimmed[(slash + 1)..]);
    }

    private static async Task AddDirectoryAsync(TarWriter writer, string hostDirectory, string name, int uid, int gid, CancellationToken cancellationToken)
    {
        await writer.WriteEntryAsync(Owned(new PaxTarEntry(TarEntryType.Directory, name + "/"), File.GetUnixFileMode(hostDirectory), uid, gid), cancellationToken);
        foreach (var child in Directory.EnumerateFileSystemEntries(hostDirectory).Order(StringComparer.Ordinal))
        {
            var childName = $"{name}/{Path.GetFileName(child)}";
            if (Directory.Exists(child))
            {
                await AddDirectoryAsync(writer, child, childName, uid, gid, cancellationToken);
            }
            else
            {
                await AddFileAsync(writer, child, childName, uid, gid, cancellationToken);
            }
        }
    }

    private static async Task AddFileAsync(TarWriter writer, string hostFile, string name, int uid, int gid, CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(hostFile);
        var entry = Owned(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = content }, File.GetUnixFileMode(hostFile), uid, gid);
        await writer.WriteEntryAsync(entry, cancellationToken);
    }

    private static PaxTarEntry Owned(PaxTarEntry entry, UnixFileMode mode, int uid, int gid)
    {
        entry.Mode = mode;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = DateTimeOffset.UtcNow;
        return entry;
    }
}
