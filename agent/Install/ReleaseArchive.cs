using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Thopter.Agent.Install;

/// <summary>What <see cref="ReleaseArchive.Extract"/> took out of a release archive.</summary>
/// <param name="BinaryPath">The unpacked syncthing binary (mode 0755).</param>
/// <param name="Signature">release.sig's text, or null when the archive has none.</param>
/// <param name="SignedBytesSha256">SHA-256 of the archive name, a newline, and the binary: what release.sig signs.</param>
public sealed record ExtractedRelease(string BinaryPath, string? Signature, byte[] SignedBytesSha256);

/// <summary>
/// Reads an upstream release tar.gz and takes out only what the upgrader would: <c>syncthing</c> at the top level or one
/// directory deep, and <c>release.sig</c>. Every entry name is checked first; one that is absolute or climbs out with
/// <c>..</c> (or a link doing either) rejects the whole archive.
/// </summary>
public static class ReleaseArchive
{
    // Upstream's own limits: it looks at no more than 100 members, a binary up to 250 MiB, a signature up to 10 KiB.
    private const int MaxMembers = 100;
    private const long MaxBinaryBytes = 250L << 20;
    private const int MaxSignatureBytes = 10 << 10;

    private const UnixFileMode ExecutableMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static ExtractedRelease Extract(string archivePath, string archiveName, string destinationDirectory)
    {
        try
        {
            using var file = File.OpenRead(archivePath);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            return ExtractEntries(tar, archiveName, destinationDirectory);
        }
        catch (Exception error) when (error is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw Invalid($"{archiveName} is not a readable tar.gz: {error.Message}", error);
        }
    }

    private static ExtractedRelease ExtractEntries(TarReader tar, string archiveName, string destinationDirectory)
    {
        Directory.CreateDirectory(destinationDirectory);
        var binaryPath = Path.Combine(destinationDirectory, "syncthing");
        byte[]? digest = null;
        string? signature = null;
        for (var members = 0; members < MaxMembers && tar.GetNextEntry() is { } entry; members++)
        {
            RejectUnsafe(entry, archiveName);
            var segments = entry.Name.TrimEnd('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0 || !IsFile(entry.EntryType))
            {
                continue;
            }

            switch (segments[^1])
            {
                case "syncthing" when segments.Length <= 2:
                    if (digest is not null)
                    {
                        throw Invalid($"{archiveName} holds more than one syncthing binary");
                    }

                    digest = WriteBinary(entry, archiveName, binaryPath);
                    break;
                case "release.sig" when signature is null:
                    signature = ReadSignature(entry, archiveName);
                    break;
            }
        }

        if (digest is null)
        {
            throw Invalid($"{archiveName} holds no syncthing binary at its top level");
        }

        return new ExtractedRelease(binaryPath, signature, digest);
    }

    private static void RejectUnsafe(TarEntry entry, string archiveName)
    {
        if (Escapes(entry.Name))
        {
            throw Invalid($"{archiveName} has an unsafe entry '{entry.Name}' (absolute or climbing out with ..)");
        }

        if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink && Escapes(entry.LinkName))
        {
            throw Invalid($"{archiveName} has a link '{entry.Name}' pointing outside the archive ('{entry.LinkName}')");
        }
    }

    private static bool Escapes(string name) =>
        name.Length == 0 || name.StartsWith('/') || name.Contains('\0', StringComparison.Ordinal) || name.Split('/').Contains("..");

    private static bool IsFile(TarEntryType type) => type is TarEntryType.RegularFile or TarEntryType.V7RegularFile;

    private static byte[] WriteBinary(TarEntry entry, string archiveName, string path)
    {
        if (entry.Length > MaxBinaryBytes || entry.DataStream is null)
        {
            throw Invalid($"{archiveName}: the syncthing entry is empty or larger than {MaxBinaryBytes >> 20} MiB");
        }

        using var signed = ReleaseSignature.BeginSignedBytes(archiveName);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = ExecutableMode };
        using (var output = new FileStream(path, options))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = entry.DataStream.Read(buffer)) > 0)
            {
                signed.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
            }

            output.Flush(flushToDisk: true);
        }

        return signed.GetHashAndReset();
    }

    private static string ReadSignature(TarEntry entry, string archiveName)
    {
        if (entry.Length > MaxSignatureBytes || entry.DataStream is null)
        {
            throw Invalid($"{archiveName}: release.sig is empty or larger than {MaxSignatureBytes} bytes");
        }

        // leaveOpen: the entry's stream belongs to the TarReader, which still has to skip past it to the next entry.
        using var reader = new StreamReader(entry.DataStream, Encoding.ASCII, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        return reader.ReadToEnd();
    }

    private static AgentException Invalid(string message, Exception? inner = null) =>
        new(ExitCodes.ArchiveInvalid, message, "the mirror serves a damaged or tampered archive: use the official mirror or re-create this one", inner);
}
