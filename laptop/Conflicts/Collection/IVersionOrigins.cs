using Thopter.Shared.Rest;

namespace Thopter.Laptop.Conflicts.Collection;

/// <summary>Who changed what, as the laptop's SyncThing says.</summary>
public interface IVersionOrigins
{
    /// <summary>Which device last changed a file, as the laptop SyncThing's index says (null when it does not know the file).</summary>
    Task<string?> ModifiedByAsync(string folderId, string relativePath, CancellationToken cancellationToken);

    /// <summary>The changes SyncThing made to or found in its folders since it started (its last 1000), oldest first.</summary>
    Task<IReadOnlyList<DiskChange>> DiskChangesAsync(CancellationToken cancellationToken);
}

/// <summary>Asks the laptop's SyncThing; when it does not answer, nobody is named (the copy's name still says enough).</summary>
public sealed class RestVersionOrigins(SyncthingRestClient client) : IVersionOrigins
{
    public async Task<string?> ModifiedByAsync(string folderId, string relativePath, CancellationToken cancellationToken)
    {
        try
        {
            var file = await client.GetFileAsync(folderId, relativePath, cancellationToken).ConfigureAwait(false);
            return file?.Local?.ModifiedBy is { Length: > 0 } local ? local : file?.Global?.ModifiedBy is { Length: > 0 } global ? global : null;
        }
        catch (Exception error) when (error is SyncthingApiException or HttpRequestException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<DiskChange>> DiskChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var events = await client.GetDiskEventsAsync(0, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return [.. events.OrderBy(e => e.Id).Select(DiskChange.From).OfType<DiskChange>()];
        }
        catch (Exception error) when (error is SyncthingApiException or HttpRequestException)
        {
            return [];
        }
    }
}

/// <summary>No SyncThing to ask (not running, or the CLI collecting on its own).</summary>
public sealed class NoVersionOrigins : IVersionOrigins
{
    public Task<string?> ModifiedByAsync(string folderId, string relativePath, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<IReadOnlyList<DiskChange>> DiskChangesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DiskChange>>([]);
}
