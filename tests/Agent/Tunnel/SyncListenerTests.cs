using Thopter.Agent.Tunnel;
using Xunit;

namespace Thopter.Tests.Agent.Tunnel;

public sealed class SyncListenerTests
{
    [Theory]
    [InlineData("default", "127.0.0.1", 22000)]
    [InlineData("tcp://127.0.0.1:22001", "127.0.0.1", 22001)]
    [InlineData("tcp://0.0.0.0:22002", "127.0.0.1", 22002)]
    [InlineData("tcp://:22003", "127.0.0.1", 22003)]
    [InlineData("tcp4://[::]:22004", "::1", 22004)]
    [InlineData("tcp6://[::1]:22005", "::1", 22005)]
    [InlineData("tcp://10.0.0.5:22006/?foo=bar", "10.0.0.5", 22006)]
    public void A_tcp_listen_address_is_dialled_on_loopback_when_it_is_a_wildcard(string address, string host, int port)
    {
        var endpoint = SyncListener.Endpoint(address);

        Assert.NotNull(endpoint);
        Assert.Equal((host, port), (endpoint.Host, endpoint.Port));
    }

    [Theory]
    [InlineData("quic://0.0.0.0:22000")]
    [InlineData("dynamic+https://relays.syncthing.net/endpoint")]
    [InlineData("relay://1.2.3.4:22067")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("tcp://127.0.0.1:99999")]
    [InlineData("nonsense")]
    public void Other_addresses_are_not_tunnel_targets(string address) => Assert.Null(SyncListener.Endpoint(address));
}
