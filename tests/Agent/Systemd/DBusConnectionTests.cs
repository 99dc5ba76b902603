using Xunit;
using Thopter.Agent.Systemd;

namespace Thopter.Tests.Agent.Systemd;

/// <summary>sd-bus calls against a real dbus-daemon: writes, reads and error replies round-trip the real wire format.</summary>
public sealed class DBusConnectionTests : IClassFixture<PrivateBus>
{
    private const string Driver = "org.freedesktop.DBus";
    private const string DriverPath = "/org/freedesktop/DBus";

    private readonly PrivateBus bus;

    public DBusConnectionTests(PrivateBus bus) => this.bus = bus;

    [Fact]
    public void OpenFirst_skips_dead_addresses_and_keeps_the_first_live_one()
    {
        using var connection = DBusConnection.OpenFirst(["unix:path=/nonexistent/thopter/bus", bus.Address]);

        Assert.Equal(bus.Address, connection.Address);
    }

    [Fact]
    public void Strings_booleans_and_uint32_round_trip()
    {
        using var connection = DBusConnection.OpenAddress(bus.Address);
        var name = $"org.thopter.Test{Guid.NewGuid():N}";

        var reply = connection.Call(Driver, DriverPath, Driver, "RequestName", w => w.String(name).UInt32(0), r => r.UInt32());
        var hasOwner = connection.Call(Driver, DriverPath, Driver, "NameHasOwner", w => w.String(name), r => r.Boolean());
        var stranger = connection.Call(Driver, DriverPath, Driver, "NameHasOwner", w => w.String(name + "x"), r => r.Boolean());

        Assert.Equal(1u, reply); // DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
        Assert.True(hasOwner);
        Assert.False(stranger);
    }

    [Fact]
    public void Variant_properties_are_read()
    {
        using var connection = DBusConnection.OpenAddress(bus.Address);

        var interfaces = connection.Call(
            Driver, DriverPath, "org.freedesktop.DBus.Properties", "Get",
            w => w.String(Driver).String("Interfaces"),
            r => r.Variant("as", v => v.StringArray()));

        Assert.Contains("org.freedesktop.DBus.Monitoring", interfaces);
    }

    [Fact]
    public void An_error_reply_becomes_a_DBusException_with_its_name()
    {
        using var connection = DBusConnection.OpenAddress(bus.Address);

        var unknownMethod = Assert.Throws<DBusException>(
            () => connection.Call(Driver, DriverPath, Driver, "NoSuchMethod", null, _ => 0));
        var unknownService = Assert.Throws<DBusException>(
            () => connection.Call("org.thopter.Nobody", "/", "org.thopter.Nobody", "Hello", null, _ => 0));

        Assert.Equal("org.freedesktop.DBus.Error.UnknownMethod", unknownMethod.ErrorName);
        Assert.Equal("org.freedesktop.DBus.Error.ServiceUnknown", unknownService.ErrorName);
        Assert.Contains("org.thopter.Nobody", unknownService.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_after_dispose_is_refused()
    {
        var connection = DBusConnection.OpenAddress(bus.Address);
        connection.Dispose();

        Assert.Throws<ObjectDisposedException>(() => connection.Call(Driver, DriverPath, Driver, "GetId", null, r => r.String()));
    }
}
