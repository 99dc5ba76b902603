using System.Runtime.CompilerServices;
using System.Text.Json;
using Thopter.Agent.Setup;
using Thopter.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

/// <summary>
/// The listener check reads SyncThing's own report. Samples/ holds GET /rest/system/status as SyncThing 1.19.2 and
/// 1.29.5 answered it with their listen address tcp://127.0.0.1:PORT free, and held by a plain TCP listener.
/// </summary>
public sealed class SyncListenerCheckTests
{
    public static TheoryData<string> Versions => new("1.19.2", "1.29.5");

    [Theory]
    [MemberData(nameof(Versions))]
    public void A_port_held_by_another_program_is_a_failure_with_syncthings_reason(string version)
    {
        var failure = Assert.Single(SyncListenerCheck.Failures(Read($"status-port-taken-{version}.json")));

        Assert.Equal("tcp://127.0.0.1:22777", failure.Address);
        Assert.Equal("listen tcp 127.0.0.1:22777: bind: address already in use", failure.Error);
        Assert.Equal(22777, failure.Port);
        Assert.True(failure.PortTaken);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void A_listening_listener_is_no_failure(string version) =>
        Assert.Empty(SyncListenerCheck.Failures(Read($"status-port-ok-{version}.json")));

    [Fact]
    public void Only_tcp_listeners_count_and_other_reasons_are_not_called_a_taken_port()
    {
        var status = new SystemStatus
        {
            ConnectionServiceStatus = new()
            {
                ["quic://0.0.0.0:22000"] = new ListenerStatus { Error = "listen udp 0.0.0.0:22000: bind: address already in use" },
                ["dynamic+https://relays.syncthing.net/endpoint"] = new ListenerStatus { Error = "relays disabled" },
                ["tcp6://[::1]:22000"] = new ListenerStatus { Error = "listen tcp6 [::1]:22000: bind: cannot assign requested address" },
                ["tcp://127.0.0.1:22000"] = new ListenerStatus(),
            },
        };

        var failure = Assert.Single(SyncListenerCheck.Failures(status));

        Assert.Equal("tcp6://[::1]:22000", failure.Address);
        Assert.False(failure.PortTaken);
    }

    [Fact]
    public void A_status_without_listeners_is_no_failure() => Assert.Empty(SyncListenerCheck.Failures(new SystemStatus()));

    private static SystemStatus Read(string name, [CallerFilePath] string source = "") =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(Path.GetDirectoryName(source)!, "Samples", name)), SyncthingJsonContext.Default.SystemStatus)!;
}
