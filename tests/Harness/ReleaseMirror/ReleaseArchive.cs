using System.Formats.Tar;
using System.IO.Compression;

namespace Thopter.Tests.Harness.ReleaseMirror;

/// <summary>
/// A release archive shaped like SyncThing's: syncthing-linux-amd64-vX.Y.Z.tar.gz holding
/// syncthing-linux-amd64-vX.Y.Z/syncthing and its release.sig one directory deep (SyncThing's
/// upgrader ignores a "syncthing" nested deeper).
/// </summary>
public static class ReleaseArchive
{
    public static string ArchiveName(string version) => $"{DirectoryName(version)}.tar.gz";

    public static string DirectoryName(string version) => $"syncthing-linux-amd64-{version}";

    public static byte[] Build(string version, byte[] binary, string signaturePem)
    {
        var directory = DirectoryName(version);
        var timestamp = DateTimeOffset.UnixEpoch.AddYears(50);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory + "/") { Mode = (UnixFileMode)Convert.ToInt32("755", 8), ModificationTime = timestamp });
            tar.WriteEntry(File(directory + "/syncthing", binary, "755", timestamp));
            tar.WriteEntry(File(directory + "/release.sig", System.Text.Encoding.ASCII.GetBytes(signaturePem), "644", timestamp));
        }

        return output.ToArray();
    }

    private static PaxTarEntry File(string name, byte[] content, string octalMode, DateTimeOffset timestamp) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content, writable: false),
            Mode = (UnixFileMode)Convert.ToInt32(octalMode, 8),
            ModificationTime = timestamp,
        };
}
