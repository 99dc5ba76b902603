using System.Buffers.Binary;
using System.Text;

namespace Thopter.Shared.Acceleration.Inotify;

/// <summary>One <c>struct inotify_event</c>: the watch it came from, what happened, and the entry's name in that directory ("" for the directory itself).</summary>
internal readonly record struct InotifyEvent(int Watch, uint Mask, uint Cookie, string Name)
{
    private const int HeaderSize = 16;

    public bool Has(uint flag) => (Mask & flag) != 0;

    /// <summary>Splits what one read() returned into events; the kernel only returns whole events.</summary>
    /// <exception cref="FormatException">The buffer ends inside an event.</exception>
    public static List<InotifyEvent> ParseAll(ReadOnlySpan<byte> buffer)
    {
        var events = new List<InotifyEvent>();
        while (buffer.Length > 0)
        {
            if (buffer.Length < HeaderSize)
            {
                throw new FormatException($"inotify returned {buffer.Length} bytes, fewer than an event header");
            }

            var watch = BinaryPrimitives.ReadInt32LittleEndian(buffer);
            var mask = BinaryPrimitives.ReadUInt32LittleEndian(buffer[4..]);
            var cookie = BinaryPrimitives.ReadUInt32LittleEndian(buffer[8..]);
            var nameLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer[12..]);
            if (nameLength < 0 || buffer.Length < HeaderSize + nameLength)
            {
                throw new FormatException($"inotify event names {nameLength} bytes but only {buffer.Length - HeaderSize} follow");
            }

            // The name is NUL-padded to an alignment boundary.
            var name = buffer.Slice(HeaderSize, nameLength);
            var end = name.IndexOf((byte)0);
            events.Add(new InotifyEvent(watch, mask, cookie, Encoding.UTF8.GetString(end < 0 ? name : name[..end])));
            buffer = buffer[(HeaderSize + nameLength)..];
        }

        return events;
    }
}
