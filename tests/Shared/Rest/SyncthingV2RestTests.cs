using System.Net;
using Thopter.Shared.Rest;
using Xunit;

namespace Thopter.Tests.Shared.Rest;

/// <summary>
/// REST answers in SyncThing 2.x's shapes (lib/api and cmd/syncthing at v2.1.3), which no binary here can produce:
/// string log levels in /rest/system/error, and the plain-text stand-in server of the one-time database migration.
/// </summary>
public sealed class SyncthingV2RestTests : IDisposable
{
    /// <summary>What migratingAPI answers on every path: the banner, a blank line, the log so far (DefaultLineFormat).</summary>
    public const string MigrationAnswer = """
        *** Database migration in progress ***

        2026-11-30 07:00:01 INF Migrating old-style database to SQLite; this may take a while
        2026-11-30 07:00:09 INF Migrated folder (folder=code files=120000)

        """;

    private readonly FakeSyncthingHandler handler = new();
    private readonly SyncthingRestClient client;

    public SyncthingV2RestTests()
    {
        client = new SyncthingRestClient(new Uri("http://127.0.0.1:8384"), new SyncthingApiKey("k3y-abcdefghijklmnop"), handler, TimeSpan.FromSeconds(5));
    }

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task Error_levels_read_as_2x_strings_and_1x_numbers()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("""
            {"errors":[
              {"when":"2026-11-30T07:00:00.123456789Z","message":"Listen (BEP/tcp): address in use","level":"WRN"},
              {"when":"2026-11-30T07:00:01Z","message":"Folder error","level":"ERR"},
              {"when":"2026-11-30T07:00:02Z","message":"between levels","level":"WRN+2"},
              {"when":"2026-11-30T07:00:03Z","message":"from 1.19","level":3},
              {"when":"2026-11-30T07:00:04Z","message":"info from 1.19","level":2}
            ]}
            """));

        var errors = await client.GetErrorsAsync();

        Assert.Equal(["WRN", "ERR", "WRN+2", "WRN", "INF"], errors.Select(e => e.Level));
        Assert.Equal("Listen (BEP/tcp): address in use", errors[0].Message);
    }

    [Fact]
    public async Task A_level_that_is_neither_string_nor_number_is_a_bad_response()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Json("""{"errors":[{"when":"x","message":"m","level":{}}]}"""));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.GetErrorsAsync());

        Assert.Equal(SyncthingApiErrorKind.BadResponse, error.Kind);
    }

    [Fact]
    public async Task The_migration_answer_is_reported_as_migrating_with_its_last_log_line()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Text(MigrationAnswer, HttpStatusCode.OK));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.GetSystemStatusAsync());

        Assert.Equal(SyncthingApiErrorKind.Migrating, error.Kind);
        Assert.Contains("migrating its database", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Migrated folder (folder=code files=120000)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not the JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_during_the_migration_is_not_taken_for_success()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Text(MigrationAnswer, HttpStatusCode.OK));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.PutFolderAsync(new RestFolder { Id = "f", Path = "/f" }));

        Assert.Equal(SyncthingApiErrorKind.Migrating, error.Kind);
    }

    [Fact]
    public async Task Other_plain_text_stays_a_bad_response()
    {
        handler.Respond = _ => Task.FromResult(FakeSyncthingHandler.Text("hello from nginx", HttpStatusCode.OK));

        var error = await Assert.ThrowsAsync<SyncthingApiException>(() => client.GetSystemStatusAsync());

        Assert.Equal(SyncthingApiErrorKind.BadResponse, error.Kind);
    }
}
