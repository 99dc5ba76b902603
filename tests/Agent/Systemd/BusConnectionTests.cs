using System.Net.Sockets;
using Thopter.Agent.Systemd;
using Tmds.DBus.Protocol;
using Xunit;

namespace Thopter.Tests.Agent.Systemd;

/// <summary>Our D-Bus seam against a real dbus-daemon: writes, reads, error replies and signals round-trip the real wire format.</summary>
public sealed class BusConnectionTests : IClassFixture<PrivateBus>
{
    private const string Driver = "org.freedesktop.DBus";
    private const string DriverPath = "/org/freedesktop/DBus";

    private readonly PrivateBus bus;

    public BusConnectionTests(PrivateBus bus) => this.bus = bus;

    [Fact]
    public async Task OpenFirst_skips_dead_addresses_and_keeps_the_first_live_one()
    {
        using var connection = await BusConnection.OpenFirstAsync(["unix:path=/nonexistent/thopter/bus", bus.Address]);

        Assert.Equal(bus.Address, connection.Address);
    }

    [Fact]
    public async Task Strings_booleans_and_uint32_round_trip()
    {
        using var connection = await BusConnection.OpenFirstAsync([bus.Address]);
        var name = $"org.thopter.Test{Guid.NewGuid():N}";

        var reply = await connection.CallAsync(Driver, DriverPath, Driver, "RequestName", "su",
            (ref MessageWriter w) =>
            {
                w.WriteString(name);
                w.WriteUInt32(0);
            },
            static (m, _) => m.GetBodyReader().ReadUInt32());
        var hasOwner = await HasOwnerAsync(connection, name);
        var stranger = await HasOwnerAsync(connection, name + "x");

        Assert.Equal(1u, reply); // DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
        Assert.True(hasOwner);
        Assert.False(stranger);
    }

    [Fact]
    public async Task Variant_properties_are_read()
    {
        using var connection = await BusConnection.OpenFirstAsync([bus.Address]);

        var interfaces = await connection.CallAsync(Driver, DriverPath, "org.freedesktop.DBus.Properties", "Get", "ss",
            (ref MessageWriter w) =>
            {
                w.WriteString(Driver);
                w.WriteString("Interfaces");
            },
            static (m, _) => m.GetBodyReader().ReadVariantValue().GetArray<string>());

        Assert.Contains("org.freedesktop.DBus.Monitoring", interfaces);
    }

    [Fact]
    public async Task An_error_reply_becomes_a_DBusException_with_its_name()
    {
        using var connection = await BusConnection.OpenFirstAsync([bus.Address]);

        var unknownMethod = await Assert.ThrowsAsync<DBusException>(
            () => connection.CallAsync(Driver, DriverPath, Driver, "NoSuchMethod", null, null, static (_, _) => 0));
        var unknownService = await Assert.ThrowsAsync<DBusException>(
            () => connection.CallAsync("org.thopter.Nobody", "/", "org.thopter.Nobody", "Hello", null, null, static (_, _) => 0));

        Assert.Equal("org.freedesktop.DBus.Error.UnknownMethod", unknownMethod.ErrorName);
        Assert.Equal(DBusException.ServiceUnknown, unknownService.ErrorName);
        Assert.Contains("org.thopter.Nobody", unknownService.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_of_another_shape_than_expected_is_a_transport_error_not_a_crash()
    {
        using var connection = await BusConnection.OpenFirstAsync([bus.Address]);

        // GetId answers a string; reading it as a variant fails inside the reply reader.
        var error = await Assert.ThrowsAsync<DBusTransportException>(
            () => connection.CallAsync(Driver, DriverPath, Driver, "GetId", null, null, static (m, _) => m.GetBodyReader().ReadVariantValue()));

        Assert.Contains("GetId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watched_signal_from_another_connection_arrives()
    {
        using var watcher = await BusConnection.OpenFirstAsync([bus.Address]);
        using var other = await BusConnection.OpenFirstAsync([bus.Address]);
        var name = $"org.thopter.Signal{Guid.NewGuid():N}";
        var owned = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await watcher.WatchSignalAsync(
            DriverPath, Driver, "NameOwnerChanged",
            static (m, _) => m.GetBodyReader().ReadString(),
            changed =>
            {
                if (changed == name)
                {
                    owned.TrySetResult(changed);
                }
            },
            error => owned.TrySetException(error));

        await other.CallAsync(Driver, DriverPath, Driver, "RequestName", "su",
            (ref MessageWriter w) =>
            {
                w.WriteString(name);
                w.WriteUInt32(0);
            },
            static (_, _) => 0);

        Assert.Equal(name, await owned.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_socket_that_accepts_but_never_answers_fails_the_connect_within_its_timeout()
    {
        // A socket-activated bus whose daemon cannot start behaves like this: the connect succeeds, the handshake never does.
        var directory = Directory.CreateTempSubdirectory("thopter-mute-bus-");
        try
        {
            var path = Path.Combine(directory.FullName, "bus");
            using var mute = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            mute.Bind(new UnixDomainSocketEndPoint(path));
            mute.Listen();

            var error = await Assert.ThrowsAsync<DBusConnectException>(
                () => BusConnection.OpenFirstAsync([$"unix:path={path}"], TimeSpan.FromMilliseconds(300)).WaitAsync(TimeSpan.FromSeconds(30)));

            Assert.Contains("no answer to the handshake", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_call_after_dispose_is_refused()
    {
        var connection = await BusConnection.OpenFirstAsync([bus.Address]);
        connection.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => connection.CallAsync(Driver, DriverPath, Driver, "GetId", null, null, static (m, _) => m.GetBodyReader().ReadString()));
    }

    private static Task<bool> HasOwnerAsync(BusConnection connection, string name) =>
        connection.CallAsync(Driver, DriverPath, Driver, "NameHasOwner", "s", (ref MessageWriter w) => w.WriteString(name),
            static (m, _) => m.GetBodyReader().ReadBool());
}
