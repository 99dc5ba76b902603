namespace Thopter.Shared.Rest;

/// <summary>
/// SyncThing 2.x's one-time move of a 1.x database to SQLite. Meanwhile a stand-in server on the GUI address answers
/// every request 200 text/plain with this banner and the log so far (cmd/syncthing migratingAPI, v2.0.0 and later).
/// </summary>
internal static class DatabaseMigration
{
    public const string Banner = "*** Database migration in progress ***";

    /// <summary>Null for a real API answer; otherwise ": " and the last log line (how far it got), or empty.</summary>
    public static async Task<string?> ProgressAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "text/plain")
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!text.StartsWith(Banner, StringComparison.Ordinal))
        {
            return null;
        }

        var last = text[Banner.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return last is null ? string.Empty : $": {last}";
    }
}
