using System.Runtime.InteropServices;

namespace Thopter.Agent.Systemd;

/// <summary>
/// libsystemd's sd-bus, bound with source-generated P/Invoke (AOT-safe). Only the non-variadic
/// entry points: variadic calls cannot be marshalled portably. Every function returns a negative
/// errno on failure.
/// </summary>
internal static unsafe partial class SdBus
{
    private const string Library = "libsystemd.so.0";

    public const sbyte TypeString = (sbyte)'s';
    public const sbyte TypeObjectPath = (sbyte)'o';
    public const sbyte TypeBoolean = (sbyte)'b';
    public const sbyte TypeUInt32 = (sbyte)'u';
    public const sbyte TypeArray = (sbyte)'a';
    public const sbyte TypeVariant = (sbyte)'v';

    [LibraryImport(Library)]
    public static partial int sd_bus_open_system(out nint bus);

    [LibraryImport(Library)]
    public static partial int sd_bus_new(out nint bus);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_set_address(nint bus, string address);

    [LibraryImport(Library)]
    public static partial int sd_bus_set_bus_client(nint bus, int isBusClient);

    [LibraryImport(Library)]
    public static partial int sd_bus_start(nint bus);

    [LibraryImport(Library)]
    public static partial nint sd_bus_flush_close_unref(nint bus);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_message_new_method_call(
        nint bus, out nint message, string destination, string path, string @interface, string member);

    [LibraryImport(Library)]
    public static partial int sd_bus_message_append_basic(nint message, sbyte type, void* value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_message_open_container(nint message, sbyte type, string contents);

    [LibraryImport(Library)]
    public static partial int sd_bus_message_close_container(nint message);

    [LibraryImport(Library)]
    public static partial int sd_bus_call(nint bus, nint message, ulong timeoutMicroseconds, SdBusError* error, out nint reply);

    [LibraryImport(Library)]
    public static partial int sd_bus_message_read_basic(nint message, sbyte type, void* value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_message_enter_container(nint message, sbyte type, string contents);

    [LibraryImport(Library)]
    public static partial int sd_bus_message_exit_container(nint message);

    [LibraryImport(Library)]
    public static partial nint sd_bus_message_unref(nint message);

    [LibraryImport(Library)]
    public static partial void sd_bus_error_free(SdBusError* error);

    /// <summary>Mirrors <c>sd_bus_error</c>: name, message, and a private flag.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SdBusError
    {
        public nint Name;
        public nint Message;
        public int NeedFree;
    }
}
