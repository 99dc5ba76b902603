using Thopter.Agent.Setup;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

public sealed class AddressRulesTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("tcp://127.0.0.1:22000")]
    [InlineData("tcp://0.0.0.0:22000")]
    [InlineData("quic://[::1]:22000")]
    public void Accepts_listen_addresses(string address) => Assert.Null(AddressRules.SyncAddressProblem(address, "default"));

    [Theory]
    [InlineData("dynamic")]
    [InlineData("udp://127.0.0.1:1")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("tcp://127.0.0.1:1/path")]
    [InlineData("127.0.0.1:22000")]
    [InlineData("tcp://127.0.0.1:22000\n")]
    public void Rejects_bad_listen_addresses(string address) => Assert.NotNull(AddressRules.SyncAddressProblem(address, "default"));

    [Theory]
    [InlineData("127.0.0.1:8384")]
    [InlineData("127.0.0.2:1")]
    [InlineData("[::1]:8384")]
    public void Accepts_loopback_gui_addresses(string address) => Assert.Null(AddressRules.GuiAddressProblem(address));

    [Theory]
    [InlineData("0.0.0.0:8384", "loopback")]
    [InlineData("10.0.0.1:8384", "loopback")]
    [InlineData("localhost:8384", "IP:PORT")]
    [InlineData("127.0.0.1", "IP:PORT")]
    [InlineData("127.0.0.1:0", "IP:PORT")]
    public void Rejects_gui_addresses_off_loopback_or_malformed(string address, string reason) =>
        Assert.Contains(reason, AddressRules.GuiAddressProblem(address), StringComparison.Ordinal);
}
