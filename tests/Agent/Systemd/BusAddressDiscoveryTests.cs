using Xunit;
using Thopter.Agent.Systemd;

namespace Thopter.Tests.Agent.Systemd;

public sealed class BusAddressDiscoveryTests
{
    [Fact]
    public void Explicit_address_then_runtime_dir_then_per_uid_path()
    {
        var environment = new Dictionary<string, string>
        {
            ["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/tmp/custom-bus",
            ["XDG_RUNTIME_DIR"] = "/run/user/4242/",
        };

        var candidates = BusAddressDiscovery.UserBusCandidates(environment.GetValueOrDefault, 1000);

        Assert.Equal(["unix:path=/tmp/custom-bus", "unix:path=/run/user/4242/bus", "unix:path=/run/user/1000/bus"], candidates);
    }

    [Fact]
    public void Headless_login_without_any_variable_still_finds_the_per_uid_bus()
    {
        var candidates = BusAddressDiscovery.UserBusCandidates(_ => null, 1000);

        Assert.Equal(["unix:path=/run/user/1000/bus"], candidates);
    }

    [Fact]
    public void Blank_variables_are_ignored_and_duplicates_dropped()
    {
        var environment = new Dictionary<string, string>
        {
            ["DBUS_SESSION_BUS_ADDRESS"] = "  ",
            ["XDG_RUNTIME_DIR"] = "/run/user/1000",
        };

        var candidates = BusAddressDiscovery.UserBusCandidates(environment.GetValueOrDefault, 1000);

        Assert.Equal(["unix:path=/run/user/1000/bus"], candidates);
    }

    [Fact]
    public async Task Unreachable_addresses_are_all_named_in_the_error()
    {
        // Real connects against socket paths that do not exist: each fails with ENOENT.
        var missing = Path.Combine(Path.GetTempPath(), $"thopter-no-bus-{Guid.NewGuid():N}");
        var error = await Assert.ThrowsAsync<DBusConnectException>(
            () => BusConnection.OpenFirstAsync([$"unix:path={missing}/a", $"unix:path={missing}/b"]));

        Assert.Contains($"unix:path={missing}/a", error.Message, StringComparison.Ordinal);
        Assert.Contains($"unix:path={missing}/b", error.Message, StringComparison.Ordinal);
        Assert.Contains("loginctl enable-linger", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.AddressesTried.Count);
    }
}
