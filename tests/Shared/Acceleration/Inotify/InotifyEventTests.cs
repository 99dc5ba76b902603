using System.Buffers.Binary;
using System.Text;
using Thopter.Shared.Acceleration.Inotify;
using Xunit;

namespace Thopter.Tests.Shared.Acceleration.Inotify;

public sealed class InotifyEventTests
{
    [Fact]
    public void Events_with_padded_names_and_without_names_are_split_apart()
    {
        var buffer = Event(3, 0x100 | 0x40000000, 0, "new-dir", padTo: 16)
            .Concat(Event(1, 0x400, 0, string.Empty, padTo: 0))
            .Concat(Event(7, 0x80, 42, "ü.txt", padTo: 16))
            .ToArray();

        var events = InotifyEvent.ParseAll(buffer);

        Assert.Equal(
            new[]
            {
                new InotifyEvent(3, 0x100 | 0x40000000, 0, "new-dir"),
                new InotifyEvent(1, 0x400, 0, string.Empty),
                new InotifyEvent(7, 0x80, 42, "ü.txt"),
            },
            events);
        Assert.True(events[0].Has(InotifyNative.IsDirectory));
    }

    [Fact]
    public void A_buffer_ending_inside_an_event_is_refused()
    {
        var whole = Event(3, 0x2, 0, "file", padTo: 16);

        Assert.Throws<FormatException>(() => InotifyEvent.ParseAll(whole.AsSpan(0, 20)));
        Assert.Throws<FormatException>(() => InotifyEvent.ParseAll(whole.AsSpan(0, 10)));
    }

    private static byte[] Event(int watch, uint mask, uint cookie, string name, int padTo)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var length = name.Length == 0 ? 0 : Math.Max(padTo, nameBytes.Length + 1);
        var buffer = new byte[16 + length];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, watch);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), mask);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), cookie);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(12), (uint)length);
        nameBytes.CopyTo(buffer, 16);
        return buffer;
    }
}
