using System.Buffers.Binary;

namespace Thopter.Shared.Seed;

/// <summary>
/// Reads a seed stream (<see cref="SeedFormat"/>), validating as it goes: every path with <see cref="SeedPath"/>, every
/// length against its bound, and the end record's counts against what was read. After a file entry, its bytes must be
/// taken with <see cref="CopyContentAsync"/> before the next <see cref="NextAsync"/>. Any breach is a <see cref="SeedFormatException"/>.
/// </summary>
public sealed class SeedReader
{
    private const int BufferSize = 256 * 1024;
    private readonly BufferedStream input;
    private readonly byte[] copyBuffer = new byte[BufferSize];
    private long entries;
    private long bytes;
    private long pendingContent = -1;

    private SeedReader(Stream input) => this.input = new BufferedStream(input, BufferSize);

    public long Entries => entries;

    public static async Task<SeedReader> StartAsync(Stream input, CancellationToken cancellationToken)
    {
        var reader = new SeedReader(input);
        var magic = new byte[SeedFormat.Magic.Length];
        await reader.FillAsync(magic, cancellationToken).ConfigureAwait(false);
        return magic.AsSpan().SequenceEqual(SeedFormat.Magic)
            ? reader
            : throw new SeedFormatException("not a seed stream (its first bytes are not THSEED1): is the devbox's thopter-agent older than this thopter?");
    }

    /// <summary>The next entry, or null after the end record (whose counts have been checked).</summary>
    public async Task<SeedEntry?> NextAsync(CancellationToken cancellationToken)
    {
        if (pendingContent >= 0)
        {
            throw new InvalidOperationException("the previous file's bytes were not read");
        }

        var kind = await ReadByteAsync(cancellationToken).ConfigureAwait(false);
        if (kind == SeedFormat.End)
        {
            var counts = new byte[16];
            await FillAsync(counts, cancellationToken).ConfigureAwait(false);
            var (sentEntries, sentBytes) = (BinaryPrimitives.ReadInt64LittleEndian(counts), BinaryPrimitives.ReadInt64LittleEndian(counts.AsSpan(8)));
            return sentEntries == entries && sentBytes == bytes
                ? null
                : throw new SeedFormatException($"the stream's end record counts {sentEntries} entries / {sentBytes} bytes, but {entries} / {bytes} arrived");
        }

        if (kind is not ((byte)SeedEntryKind.Directory or (byte)SeedEntryKind.File or (byte)SeedEntryKind.Symlink))
        {
            throw new SeedFormatException($"unknown entry kind 0x{kind:x2} after {entries} entries");
        }

        var path = await ReadTextAsync(cancellationToken).ConfigureAwait(false);
        if (SeedPath.Problem(path) is { } problem)
        {
            throw new SeedFormatException($"refused entry \"{path}\": {problem}");
        }

        var fields = new byte[10];
        await FillAsync(fields, cancellationToken).ConfigureAwait(false);
        var mode = (UnixFileMode)BinaryPrimitives.ReadUInt16LittleEndian(fields) & SeedFormat.PermissionBits;
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(fields.AsSpan(2));
        if (ticks < 0 || ticks > (DateTime.MaxValue - DateTime.UnixEpoch).Ticks)
        {
            throw new SeedFormatException($"entry \"{path}\" has an impossible modification time");
        }

        var modified = DateTime.UnixEpoch.AddTicks(ticks);
        entries++;
        switch ((SeedEntryKind)kind)
        {
            case SeedEntryKind.File:
                var size = await ReadInt64Async(cancellationToken).ConfigureAwait(false);
                if (size < 0)
                {
                    throw new SeedFormatException($"entry \"{path}\" has a negative size");
                }

                pendingContent = size;
                return new SeedEntry(SeedEntryKind.File, path, mode, modified, size);
            case SeedEntryKind.Symlink:
                return new SeedEntry(SeedEntryKind.Symlink, path, mode, modified, LinkTarget: await ReadTextAsync(cancellationToken).ConfigureAwait(false));
            default:
                return new SeedEntry(SeedEntryKind.Directory, path, mode, modified);
        }
    }

    /// <summary>Copies the current file's bytes to <paramref name="destination"/> (null: skips them); true when they are the intact file.</summary>
    public async Task<bool> CopyContentAsync(Stream? destination, CancellationToken cancellationToken)
    {
        if (pendingContent < 0)
        {
            throw new InvalidOperationException("no file entry is waiting for its bytes");
        }

        var left = pendingContent;
        while (left > 0)
        {
            var chunk = copyBuffer.AsMemory(0, (int)Math.Min(copyBuffer.Length, left));
            await FillAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (destination is not null)
            {
                await destination.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            left -= chunk.Length;
        }

        bytes += pendingContent;
        pendingContent = -1;
        return await ReadByteAsync(cancellationToken).ConfigureAwait(false) switch
        {
            SeedFormat.Intact => true,
            SeedFormat.ChangedWhilePacking => false,
            var status => throw new SeedFormatException($"unknown file status 0x{status:x2} after {entries} entries"),
        };
    }

    private async Task<string> ReadTextAsync(CancellationToken cancellationToken)
    {
        var length = new byte[2];
        await FillAsync(length, cancellationToken).ConfigureAwait(false);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(length);
        if (count > SeedFormat.MaxPathBytes)
        {
            throw new SeedFormatException($"a path of {count} bytes (more than {SeedFormat.MaxPathBytes}) after {entries} entries");
        }

        var text = new byte[count];
        await FillAsync(text, cancellationToken).ConfigureAwait(false);
        try
        {
            return SeedFormat.Utf8.GetString(text);
        }
        catch (System.Text.DecoderFallbackException error)
        {
            throw new SeedFormatException($"a path that is not UTF-8 after {entries} entries", error);
        }
    }

    private async Task<long> ReadInt64Async(CancellationToken cancellationToken)
    {
        var field = new byte[8];
        await FillAsync(field, cancellationToken).ConfigureAwait(false);
        return BinaryPrimitives.ReadInt64LittleEndian(field);
    }

    private async Task<byte> ReadByteAsync(CancellationToken cancellationToken)
    {
        var one = new byte[1];
        await FillAsync(one, cancellationToken).ConfigureAwait(false);
        return one[0];
    }

    private async Task FillAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await input.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException error)
        {
            throw new SeedFormatException($"the stream ended early, after {entries} entries (the devbox's thopter-agent pack stopped)", error);
        }
    }
}
