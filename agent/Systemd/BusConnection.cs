using Tmds.DBus.Protocol;

namespace Thopter.Agent.Systemd;

/// <summary>Appends a method call's arguments; the header (and so the signature) is already written.</summary>
public delegate void WriteArguments(ref MessageWriter writer);

/// <summary>
/// One connection to a D-Bus bus through Tmds.DBus.Protocol (pure managed: no libsystemd). The seam every D-Bus call of
/// the agent goes through. Failures come out as our own types: an error reply is a <see cref="DBusException"/> with its
/// name, a bus that cannot be reached a <see cref="DBusConnectException"/>, a connection lost or a reply we cannot read a
/// <see cref="DBusTransportException"/>.
/// </summary>
public sealed class BusConnection : IDisposable
{
    /// <summary>A socket can accept and then never answer (a socket-activated bus whose daemon cannot start): bound the handshake.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly DBusConnection connection;

    private BusConnection(DBusConnection connection, string address)
    {
        this.connection = connection;
        Address = address;
    }

    public string Address { get; }

    /// <summary>
    /// Connects to the calling user's bus, trying DBUS_SESSION_BUS_ADDRESS, then $XDG_RUNTIME_DIR/bus, then
    /// /run/user/$UID/bus (Tmds itself knows only the first).
    /// </summary>
    public static Task<BusConnection> OpenUserAsync(CancellationToken cancellationToken = default) =>
        OpenFirstAsync(BusAddressDiscovery.UserBusCandidates(Environment.GetEnvironmentVariable, Libc.GetEffectiveUserId()), cancellationToken: cancellationToken);

    /// <summary>The system bus (DBUS_SYSTEM_BUS_ADDRESS or the well-known socket).</summary>
    public static async Task<BusConnection> OpenSystemAsync(CancellationToken cancellationToken = default)
    {
        var address = DBusAddress.System ?? "unix:path=/run/dbus/system_bus_socket";
        try
        {
            return await OpenAsync(address, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DBusConnectFailure error)
        {
            throw new DBusConnectException($"the system bus is not reachable at {address} ({error.Message})", [address]);
        }
    }

    /// <summary>Tries each address in order and keeps the first that completes the handshake.</summary>
    public static async Task<BusConnection> OpenFirstAsync(
        IReadOnlyList<string> addresses, TimeSpan? connectTimeout = null, CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        foreach (var address in addresses)
        {
            try
            {
                return await OpenAsync(address, connectTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (DBusConnectFailure error)
            {
                failures.Add($"{address} ({error.Message})");
            }
        }

        throw new DBusConnectException(
            $"no user D-Bus reachable; tried {string.Join(", ", failures)}. " +
            "Fix: enable lingering (`loginctl enable-linger $USER` as root) so the user manager and its bus run without a login session",
            addresses);
    }

    /// <exception cref="DBusConnectFailure">The address is malformed, nothing listens there, or the handshake failed or stalled.</exception>
    private static async Task<BusConnection> OpenAsync(string address, TimeSpan? connectTimeout = null, CancellationToken cancellationToken = default)
    {
        var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(connectTimeout ?? DefaultConnectTimeout, cancellationToken).ConfigureAwait(false);
            return new BusConnection(connection, address);
        }
        catch (Exception error) when (error is DBusConnectionException or TimeoutException or ArgumentException or NotSupportedException)
        {
            connection.Dispose();
            throw new DBusConnectFailure(error is TimeoutException ? "no answer to the handshake" : error.Message);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Sends a method call and reads its reply with <paramref name="readReply"/>.</summary>
    public async Task<T> CallAsync<T>(
        string destination, string path, string @interface, string member, string? signature, WriteArguments? writeArguments,
        MessageValueReader<T> readReply)
    {
        MessageBuffer message;
        var writer = connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination, path, @interface, member, signature);
            writeArguments?.Invoke(ref writer);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }

        try
        {
            return await connection.CallMethodAsync(message, readReply).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException error)
        {
            throw new DBusException(error.ErrorName, error.ErrorMessage);
        }
        catch (DBusExceptionBase error)
        {
            throw new DBusTransportException($"{@interface}.{member} on {Address} failed: {error.Message}", error);
        }
    }

    /// <summary>
    /// Watches a signal (from any sender on the bus) until the returned handle is disposed. <paramref name="closed"/> is
    /// called once if the connection ends while watching, so a waiter does not wait for a signal that cannot come.
    /// </summary>
    public async Task<IDisposable> WatchSignalAsync<T>(
        string path, string @interface, string signal, MessageValueReader<T> read, Action<T> received, Action<Exception> closed)
    {
        try
        {
            return await connection.WatchSignalAsync(
                sender: null,
                path,
                @interface,
                signal,
                read,
                (Notification<T> notification) =>
                {
                    if (notification.HasValue)
                    {
                        received(notification.Value);
                    }
                    else if (notification.IsCompletion)
                    {
                        closed(notification.CompletionReason);
                    }
                },
                ObserverFlags.EmitOnConnectionClosed | ObserverFlags.EmitOnConnectionFailed | ObserverFlags.EmitOnReaderFailed,
                emitOnCapturedContext: false).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException error)
        {
            throw new DBusException(error.ErrorName, error.ErrorMessage);
        }
        catch (DBusExceptionBase error)
        {
            throw new DBusTransportException($"watching {@interface}.{signal} on {Address} failed: {error.Message}", error);
        }
    }

    public void Dispose() => connection.Dispose();

    /// <summary>One address that could not be connected to; <see cref="OpenFirstAsync"/> gathers them into one error.</summary>
    private sealed class DBusConnectFailure(string message) : Exception(message);
}
