using System.Runtime.InteropServices;

namespace Thopter.Agent.Systemd;

/// <summary>Appends arguments to an outgoing method call, one typed value at a time.</summary>
public sealed unsafe class DBusMessageWriter
{
    private readonly nint message;

    internal DBusMessageWriter(nint message) => this.message = message;

    public DBusMessageWriter String(string value) => Text(SdBus.TypeString, value);

    public DBusMessageWriter ObjectPath(string value) => Text(SdBus.TypeObjectPath, value);

    public DBusMessageWriter Boolean(bool value)
    {
        var wire = value ? 1 : 0;
        Check(SdBus.sd_bus_message_append_basic(message, SdBus.TypeBoolean, &wire), "append boolean");
        return this;
    }

    public DBusMessageWriter UInt32(uint value)
    {
        Check(SdBus.sd_bus_message_append_basic(message, SdBus.TypeUInt32, &value), "append uint32");
        return this;
    }

    public DBusMessageWriter StringArray(IEnumerable<string> values)
    {
        Check(SdBus.sd_bus_message_open_container(message, SdBus.TypeArray, "s"), "open array");
        foreach (var value in values)
        {
            String(value);
        }

        Check(SdBus.sd_bus_message_close_container(message), "close array");
        return this;
    }

    private DBusMessageWriter Text(sbyte type, string value)
    {
        // Strings are passed by pointer to their bytes (not a pointer to a pointer, unlike reads).
        var utf8 = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            Check(SdBus.sd_bus_message_append_basic(message, type, (void*)utf8), $"append '{(char)type}'");
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8);
        }

        return this;
    }

    internal static void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new IOException($"sd-bus: {what} failed: {Marshal.GetPInvokeErrorMessage(-result)}");
        }
    }
}
