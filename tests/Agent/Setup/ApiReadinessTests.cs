using System.Net;
using Microsoft.Extensions.Logging;
using Thopter.Agent;
using Thopter.Agent.Setup;
using Thopter.Shared.Devices;
using Thopter.Shared.Rest;
using Thopter.Tests.Shared.Acceleration;
using Thopter.Tests.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Agent.Setup;

/// <summary>
/// setup's wait for the API across SyncThing 2.x's one-time database migration (a plain-text stand-in answers meanwhile;
/// no 2.x binary runs here, so its answer is replayed from cmd/syncthing at v2.1.3).
/// </summary>
public sealed class ApiReadinessTests : IDisposable
{
    private static readonly DeviceId Self = DeviceId.FromBytes(Enumerable.Repeat((byte)7, 32).ToArray());
    private readonly FakeSyncthingHandler handler = new();
    private readonly SyncthingRestClient api;
    private readonly ListLogger log = new();

    public ApiReadinessTests()
    {
        api = new SyncthingRestClient(new Uri("http://127.0.0.1:8384"), new SyncthingApiKey("k3y-abcdefghijklmnop"), handler, TimeSpan.FromSeconds(5));
    }

    public void Dispose() => api.Dispose();

    private ApiReadiness Readiness => new(TimeProvider.System, log)
    {
        Timeout = TimeSpan.FromMilliseconds(300),
        MigrationTimeout = TimeSpan.FromSeconds(30),
        MigrationInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>The API migrates for longer than the ordinary timeout, then answers as us.</summary>
    [Fact]
    public async Task Waits_through_the_migration_past_the_ordinary_timeout_and_says_so_once()
    {
        var migrateUntil = DateTime.UtcNow.AddMilliseconds(1200);
        handler.Respond = _ => Task.FromResult(DateTime.UtcNow < migrateUntil
            ? FakeSyncthingHandler.Text(SyncthingV2RestTests.MigrationAnswer, HttpStatusCode.OK)
            : FakeSyncthingHandler.Json($$"""{"myID":"{{Self}}","uptime":1}"""));

        await Readiness.WaitAsync(api, "127.0.0.1:8384", Self, CancellationToken.None);

        var progress = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("migrating its database", progress.Message, StringComparison.Ordinal);
        Assert.Contains("waiting up to", progress.Message, StringComparison.Ordinal);
        Assert.Contains(log.Entries, e => e.Message == "SyncThing finished migrating its database");
    }

    [Fact]
    public async Task A_migration_that_outlasts_its_timeout_is_api_not_ready_with_the_migration_named()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Text(SyncthingV2RestTests.MigrationAnswer, HttpStatusCode.OK));

        var error = await Assert.ThrowsAsync<AgentException>(() => new ApiReadiness(TimeProvider.System, log)
        {
            Timeout = TimeSpan.FromMilliseconds(200),
            MigrationTimeout = TimeSpan.FromMilliseconds(400),
            MigrationInterval = TimeSpan.FromMilliseconds(50),
        }.WaitAsync(api, "127.0.0.1:8384", Self, CancellationToken.None));

        Assert.Equal(ExitCodes.ApiNotReady, error.Code);
        Assert.Contains("migrating its database", error.Message, StringComparison.Ordinal);
        Assert.Contains("still migrating", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_migration_the_ordinary_timeout_holds()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("""{"myID":"AAAAAAA","uptime":1}""", HttpStatusCode.ServiceUnavailable));

        var error = await Assert.ThrowsAsync<AgentException>(() => Readiness.WaitAsync(api, "127.0.0.1:8384", Self, CancellationToken.None));

        Assert.Equal(ExitCodes.ApiNotReady, error.Code);
        Assert.Contains("nothing else listens", error.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Entries, e => e.Level == LogLevel.Warning);
    }
}
