using Microsoft.Extensions.Logging.Abstractions;
using Thopter.Laptop.Daemon.Tunnel;
using Thopter.Laptop.Route;
using Thopter.Laptop.Syncthing;
using Thopter.Shared.Processes;
using Thopter.Shared.Rest;
using Thopter.Laptop.ThopterConfig;
using Thopter.Tests.Shared;
using Xunit;

namespace Thopter.Tests.Laptop.Daemon.Tunnel;

/// <summary>
/// Which routes a reload keeps and which it restarts, with real listeners on 127.0.0.1. The devbox counts as connected,
/// so no route probes it and nothing connects: no transport is ever started, no SyncThing is asked.
/// </summary>
public sealed class TunnelRoutesTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static SyncthingEndpoint Endpoint(string key) => new(new Uri("http://127.0.0.1:9/"), new SyncthingApiKey(key), "test");

    private SyncSection Saved(int port)
    {
        var saved = new SyncSection { DeviceId = "LAPTOP", Folders = [new SyncFolder { Name = "code" }] };
        saved.Devboxes["box1"] = new DevboxEntry { DeviceId = "BOX1", Transport = ["ssh", "box1"], Route = DevboxRoute.Tunnel, TunnelPort = port };
        return saved;
    }

    [Fact]
    public async Task A_new_api_key_restarts_the_route_on_its_own_port_and_an_unchanged_one_keeps_it()
    {
        await using var routes = new TunnelRoutes(new TunnelProcesses(), new ProcessRunner(), new ThopterConfigFile(dir.Combine(".thopter.json")), dir.Combine("ssh"), _ => true, TimeProvider.System, NullLogger.Instance);
        var port = DevboxRoute.FreeLoopbackPort();
        var saved = Saved(port);

        var first = Assert.Single(routes.Apply(saved, Endpoint("key-one")));
        await first.Listening.WaitAsync(Generous);
        Assert.Same(first, Assert.Single(routes.Apply(saved, Endpoint("key-one"))));

        // The old route holds the port until it has stopped: the new one waits for it instead of moving elsewhere.
        var second = Assert.Single(routes.Apply(saved, Endpoint("key-two")));
        Assert.NotSame(first, second);
        await second.Listening.WaitAsync(Generous);
        Assert.Equal(port, second.Port);
        Assert.False(File.Exists(dir.Combine(".thopter.json")), "the port was moved and recorded");
        Assert.Null(TunnelListener.TryBind(port));
    }
}
