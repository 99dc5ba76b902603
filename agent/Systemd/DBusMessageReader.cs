using System.Runtime.InteropServices;

namespace Thopter.Agent.Systemd;

/// <summary>Reads a reply's values in signature order. Valid only while the reply is alive (inside the call's callback).</summary>
public sealed unsafe class DBusMessageReader
{
    private readonly nint message;

    internal DBusMessageReader(nint message) => this.message = message;

    public string String() => Text(SdBus.TypeString);

    public string ObjectPath() => Text(SdBus.TypeObjectPath);

    public bool Boolean()
    {
        int value;
        Read(SdBus.TypeBoolean, &value);
        return value != 0;
    }

    public uint UInt32()
    {
        uint value;
        Read(SdBus.TypeUInt32, &value);
        return value;
    }

    public IReadOnlyList<string> StringArray()
    {
        DBusMessageWriter.Check(SdBus.sd_bus_message_enter_container(message, SdBus.TypeArray, "s"), "enter array");
        var values = new List<string>();
        while (true)
        {
            nint pointer;
            var result = SdBus.sd_bus_message_read_basic(message, SdBus.TypeString, &pointer);
            DBusMessageWriter.Check(result, "read array element");
            if (result == 0)
            {
                break;
            }

            values.Add(Marshal.PtrToStringUTF8(pointer) ?? string.Empty);
        }

        DBusMessageWriter.Check(SdBus.sd_bus_message_exit_container(message), "exit array");
        return values;
    }

    /// <summary>Reads a variant whose content has the given signature, e.g. a property value.</summary>
    public T Variant<T>(string contents, Func<DBusMessageReader, T> read)
    {
        DBusMessageWriter.Check(SdBus.sd_bus_message_enter_container(message, SdBus.TypeVariant, contents), $"enter variant '{contents}'");
        var value = read(this);
        DBusMessageWriter.Check(SdBus.sd_bus_message_exit_container(message), "exit variant");
        return value;
    }

    private string Text(sbyte type)
    {
        nint pointer;
        Read(type, &pointer);
        return Marshal.PtrToStringUTF8(pointer) ?? string.Empty;
    }

    private void Read(sbyte type, void* destination)
    {
        var result = SdBus.sd_bus_message_read_basic(message, type, destination);
        DBusMessageWriter.Check(result, $"read '{(char)type}'");
        if (result == 0)
        {
            throw new IOException($"sd-bus: reply has no more values (wanted '{(char)type}')");
        }
    }
}
