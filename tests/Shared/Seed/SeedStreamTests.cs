using System.Buffers.Binary;
using System.Text;
using Thopter.Shared.Seed;
using Xunit;

namespace Thopter.Tests.Shared.Seed;

/// <summary>The seed stream format: what the writer puts in comes out of the reader exactly, and a stream that is cut, forged or out of bounds is refused.</summary>
public sealed class SeedStreamTests
{
    private static readonly DateTime When = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567);
    private const UnixFileMode Mode750 = (UnixFileMode)0x1E8;

    [Fact]
    public async Task Entries_round_trip_with_modes_mtimes_sizes_and_link_targets()
    {
        var bytes = await WriteAsync(async writer =>
        {
            await writer.WriteDirectoryAsync("src", Mode750, When, default);
            await writer.WriteFileAsync("src/a.bin", Mode750, When, 3, new MemoryStream([1, 2, 3]), () => true, default);
            await writer.WriteFileAsync("src/empty", (UnixFileMode)0x180, When, 0, new MemoryStream(), () => true, default);
            await writer.WriteSymlinkAsync("src/up", "../elsewhere", When, default);
        });

        var reader = await SeedReader.StartAsync(new MemoryStream(bytes), default);
        var directory = await reader.NextAsync(default);
        Assert.Equal(new SeedEntry(SeedEntryKind.Directory, "src", Mode750, When), directory);
        var file = await reader.NextAsync(default);
        Assert.Equal(new SeedEntry(SeedEntryKind.File, "src/a.bin", Mode750, When, 3), file);
        var content = new MemoryStream();
        Assert.True(await reader.CopyContentAsync(content, default));
        Assert.Equal([1, 2, 3], content.ToArray());
        Assert.Equal(0, (await reader.NextAsync(default))!.Size);
        Assert.True(await reader.CopyContentAsync(null, default));
        Assert.Equal(new SeedEntry(SeedEntryKind.Symlink, "src/up", SeedFormat.PermissionBits, When, LinkTarget: "../elsewhere"), await reader.NextAsync(default));
        Assert.Null(await reader.NextAsync(default));
    }

    [Fact]
    public async Task Setuid_and_sticky_bits_do_not_cross()
    {
        var bytes = await WriteAsync(writer => writer.WriteDirectoryAsync("d", (UnixFileMode)0xFFF, When, default));
        var reader = await SeedReader.StartAsync(new MemoryStream(bytes), default);
        Assert.Equal(SeedFormat.PermissionBits, (await reader.NextAsync(default))!.Mode);
    }

    [Fact]
    public async Task A_file_that_shrank_or_changed_while_packed_is_marked_changed()
    {
        var bytes = await WriteAsync(async writer =>
        {
            await writer.WriteFileAsync("short", Mode750, When, 10, new MemoryStream([1, 2]), () => true, default);
            await writer.WriteFileAsync("touched", Mode750, When, 2, new MemoryStream([1, 2]), () => false, default);
        });

        var reader = await SeedReader.StartAsync(new MemoryStream(bytes), default);
        await reader.NextAsync(default);
        Assert.False(await reader.CopyContentAsync(null, default));
        await reader.NextAsync(default);
        Assert.False(await reader.CopyContentAsync(null, default));
        Assert.Null(await reader.NextAsync(default));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData(".stfolder/x")]
    [InlineData(".stignore")]
    [InlineData("a/.syncthing.b.tmp")]
    [InlineData("")]
    public async Task Paths_that_leave_the_folder_or_touch_syncthing_state_are_refused(string path)
    {
        Assert.NotNull(SeedPath.Problem(path));
        await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(writer => writer.WriteDirectoryAsync(path, Mode750, When, default)));

        var reader = await SeedReader.StartAsync(new MemoryStream(Forged(path)), default);
        await Assert.ThrowsAsync<SeedFormatException>(() => reader.NextAsync(default));
    }

    [Fact]
    public async Task A_stream_cut_short_is_an_error_not_a_small_folder()
    {
        var bytes = await WriteAsync(writer => writer.WriteFileAsync("f", Mode750, When, 4, new MemoryStream([1, 2, 3, 4]), () => true, default));
        var cut = bytes[..^17];
        var reader = await SeedReader.StartAsync(new MemoryStream(cut), default);
        await reader.NextAsync(default);
        Assert.True(await reader.CopyContentAsync(null, default));
        await Assert.ThrowsAsync<SeedFormatException>(() => reader.NextAsync(default));

        var midFile = await SeedReader.StartAsync(new MemoryStream(bytes[..^20]), default);
        await midFile.NextAsync(default);
        await Assert.ThrowsAsync<SeedFormatException>(() => midFile.CopyContentAsync(null, default));
    }

    [Fact]
    public async Task An_end_record_whose_counts_disagree_is_refused()
    {
        var bytes = await WriteAsync(writer => writer.WriteDirectoryAsync("d", Mode750, When, default));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(bytes.Length - 16), 2);
        var reader = await SeedReader.StartAsync(new MemoryStream(bytes), default);
        await reader.NextAsync(default);
        await Assert.ThrowsAsync<SeedFormatException>(() => reader.NextAsync(default));
    }

    [Fact]
    public async Task Anything_but_a_seed_stream_is_refused_at_once()
    {
        await Assert.ThrowsAsync<SeedFormatException>(() => SeedReader.StartAsync(new MemoryStream(Encoding.UTF8.GetBytes("{\"error\": {}}\n")), default));
        await Assert.ThrowsAsync<SeedFormatException>(() => SeedReader.StartAsync(new MemoryStream(), default));
    }

    private static async Task<byte[]> WriteAsync(Func<SeedWriter, Task> write)
    {
        var output = new MemoryStream();
        var writer = await SeedWriter.StartAsync(output, default);
        await write(writer);
        await writer.CompleteAsync(default);

        return output.ToArray();
    }

    // A directory entry written by hand, as a hostile or broken devbox could send it.
    private static byte[] Forged(string path)
    {
        var name = Encoding.UTF8.GetBytes(path);
        var entry = new byte[1 + 2 + name.Length + 10];
        entry[0] = (byte)SeedEntryKind.Directory;
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(1), (ushort)name.Length);
        name.CopyTo(entry, 3);
        return [.. SeedFormat.Magic, .. entry];
    }
}
