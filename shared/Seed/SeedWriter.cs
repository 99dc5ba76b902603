using System.Buffers.Binary;

namespace Thopter.Shared.Seed;

/// <summary>Writes a seed stream (<see cref="SeedFormat"/>) entry by entry, buffered; <see cref="CompleteAsync"/> ends it and flushes. The caller owns the stream.</summary>
public sealed class SeedWriter
{
    private const int BufferSize = 256 * 1024;
    private readonly BufferedStream output;
    private readonly byte[] copyBuffer = new byte[BufferSize];
    private long entries;
    private long bytes;

    private SeedWriter(Stream output) => this.output = new BufferedStream(output, BufferSize);

    public long Entries => entries;

    public long Bytes => bytes;

    public static async Task<SeedWriter> StartAsync(Stream output, CancellationToken cancellationToken)
    {
        var writer = new SeedWriter(output);
        await writer.output.WriteAsync(SeedFormat.Magic.ToArray(), cancellationToken).ConfigureAwait(false);
        return writer;
    }

    public Task WriteDirectoryAsync(string path, UnixFileMode mode, DateTime modifiedUtc, CancellationToken cancellationToken) =>
        WriteHeaderAsync(SeedEntryKind.Directory, path, mode, modifiedUtc, cancellationToken);

    public async Task WriteSymlinkAsync(string path, string target, DateTime modifiedUtc, CancellationToken cancellationToken)
    {
        await WriteHeaderAsync(SeedEntryKind.Symlink, path, SeedFormat.PermissionBits, modifiedUtc, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a file of <paramref name="size"/> bytes read from <paramref name="content"/>. It is marked changed (and the
    /// reader drops it) when <paramref name="content"/> ends early (the rest is padding) or <paramref name="unchanged"/>,
    /// asked once the bytes are read, says the file was modified meanwhile.
    /// </summary>
    public async Task WriteFileAsync(string path, UnixFileMode mode, DateTime modifiedUtc, long size, Stream content, Func<bool> unchanged, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        await WriteHeaderAsync(SeedEntryKind.File, path, mode, modifiedUtc, cancellationToken).ConfigureAwait(false);
        await WriteInt64Async(size, cancellationToken).ConfigureAwait(false);
        var left = size;
        var complete = true;
        while (left > 0)
        {
            var read = complete ? await content.ReadAsync(copyBuffer.AsMemory(0, (int)Math.Min(copyBuffer.Length, left)), cancellationToken).ConfigureAwait(false) : 0;
            if (read == 0)
            {
                complete = false;
                read = (int)Math.Min(copyBuffer.Length, left);
                Array.Clear(copyBuffer, 0, read);
            }

            await output.WriteAsync(copyBuffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            left -= read;
        }

        bytes += size;
        output.WriteByte(complete && unchanged() ? SeedFormat.Intact : SeedFormat.ChangedWhilePacking);
    }

    /// <summary>Writes the end record with the counts and flushes: a reader that sees it knows it got everything.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        output.WriteByte(SeedFormat.End);
        var counts = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(counts, entries);
        BinaryPrimitives.WriteInt64LittleEndian(counts.AsSpan(8), bytes);
        await output.WriteAsync(counts, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteHeaderAsync(SeedEntryKind kind, string path, UnixFileMode mode, DateTime modifiedUtc, CancellationToken cancellationToken)
    {
        if (SeedPath.Problem(path) is { } problem)
        {
            throw new ArgumentException($"cannot pack \"{path}\": {problem}", nameof(path));
        }

        output.WriteByte((byte)kind);
        await WriteTextAsync(path, cancellationToken).ConfigureAwait(false);
        var fields = new byte[10];
        BinaryPrimitives.WriteUInt16LittleEndian(fields, (ushort)(mode & SeedFormat.PermissionBits));
        BinaryPrimitives.WriteInt64LittleEndian(fields.AsSpan(2), (modifiedUtc.ToUniversalTime() - DateTime.UnixEpoch).Ticks);
        await output.WriteAsync(fields, cancellationToken).ConfigureAwait(false);
        entries++;
    }

    private async Task WriteTextAsync(string text, CancellationToken cancellationToken)
    {
        var encoded = SeedFormat.Utf8.GetBytes(text);
        if (encoded.Length > SeedFormat.MaxPathBytes)
        {
            throw new ArgumentException($"\"{text[..64]}...\" is longer than {SeedFormat.MaxPathBytes} bytes", nameof(text));
        }

        var length = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)encoded.Length);
        await output.WriteAsync(length, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(encoded, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteInt64Async(long value, CancellationToken cancellationToken)
    {
        var field = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(field, value);
        await output.WriteAsync(field, cancellationToken).ConfigureAwait(false);
    }
}
