using System.Runtime.InteropServices;

namespace Thopter.Agent.Systemd;

/// <summary>
/// One connection to a D-Bus bus through libsystemd's sd-bus. Calls are synchronous and
/// serialized (an sd_bus object must not be used from two threads at once).
/// </summary>
public sealed unsafe class DBusConnection : IDisposable
{
    private static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    private readonly SdBusHandle bus;
    private readonly Lock gate = new();

    private DBusConnection(SdBusHandle bus, string address)
    {
        this.bus = bus;
        Address = address;
    }

    public string Address { get; }

    /// <summary>
    /// Connects to the calling user's bus, trying DBUS_SESSION_BUS_ADDRESS, then
    /// $XDG_RUNTIME_DIR/bus, then /run/user/$UID/bus.
    /// </summary>
    public static DBusConnection OpenUser() =>
        OpenFirst(BusAddressDiscovery.UserBusCandidates(Environment.GetEnvironmentVariable, Libc.GetEffectiveUserId()));

    /// <summary>Tries each address in order and keeps the first that answers a ping.</summary>
    public static DBusConnection OpenFirst(IReadOnlyList<string> addresses)
    {
        var failures = new List<string>();
        foreach (var address in addresses)
        {
            try
            {
                return OpenAddress(address);
            }
            catch (IOException error)
            {
                failures.Add($"{address} ({error.Message})");
            }
            catch (DBusException error)
            {
                failures.Add($"{address} ({error.Message})");
            }
        }

        throw new DBusConnectException(
            $"no user D-Bus reachable; tried {string.Join(", ", failures)}. " +
            "Fix: enable lingering (`loginctl enable-linger $USER` as root) so the user manager and its bus run without a login session",
            addresses);
    }

    public static DBusConnection OpenAddress(string address)
    {
        DBusMessageWriter.Check(SdBus.sd_bus_new(out var raw), "sd_bus_new");
        var handle = SdBusHandle.Wrap(raw);
        try
        {
            DBusMessageWriter.Check(SdBus.sd_bus_set_address(raw, address), "set address");
            DBusMessageWriter.Check(SdBus.sd_bus_set_bus_client(raw, 1), "set bus client");
            DBusMessageWriter.Check(SdBus.sd_bus_start(raw), "connect");
            var connection = new DBusConnection(handle, address);
            connection.Ping();
            return connection;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public static DBusConnection OpenSystem()
    {
        DBusMessageWriter.Check(SdBus.sd_bus_open_system(out var raw), "connect to the system bus");
        return new DBusConnection(SdBusHandle.Wrap(raw), "system");
    }

    /// <summary>
    /// Sends a method call and waits for its reply. An error reply throws <see cref="DBusException"/>.
    /// </summary>
    public T Call<T>(
        string destination,
        string path,
        string @interface,
        string member,
        Action<DBusMessageWriter>? writeArguments,
        Func<DBusMessageReader, T> readReply,
        TimeSpan? timeout = null)
    {
        lock (gate)
        {
            var busPointer = bus.DangerousGetHandle();
            ObjectDisposedException.ThrowIf(bus.IsClosed, this);
            DBusMessageWriter.Check(
                SdBus.sd_bus_message_new_method_call(busPointer, out var call, destination, path, @interface, member),
                $"create call {@interface}.{member}");
            nint reply = nint.Zero;
            var error = default(SdBus.SdBusError);
            try
            {
                writeArguments?.Invoke(new DBusMessageWriter(call));
                var micros = (ulong)(timeout ?? DefaultCallTimeout).TotalMicroseconds;
                var result = SdBus.sd_bus_call(busPointer, call, micros, &error, out reply);
                if (result < 0)
                {
                    if (error.Name != nint.Zero)
                    {
                        throw new DBusException(
                            Marshal.PtrToStringUTF8(error.Name) ?? "unknown",
                            Marshal.PtrToStringUTF8(error.Message) ?? string.Empty);
                    }

                    throw new IOException($"sd-bus: {@interface}.{member} on {Address} failed: {Marshal.GetPInvokeErrorMessage(-result)}");
                }

                return readReply(new DBusMessageReader(reply));
            }
            finally
            {
                SdBus.sd_bus_error_free(&error);
                SdBus.sd_bus_message_unref(reply);
                SdBus.sd_bus_message_unref(call);
            }
        }
    }

    public void Dispose() => bus.Dispose();

    private void Ping() =>
        Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.Peer", "Ping", null, _ => 0, TimeSpan.FromSeconds(5));
}
