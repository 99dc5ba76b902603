using Thopter.Shared.Rest;

namespace Thopter.Laptop.Conflicts.Collection;

/// <summary>Which device last changed a file, as the laptop SyncThing's index says (null when it does not know the file).</summary>
public interface IVersionOrigins
{
    Task<string?> ModifiedByAsync(string folderId, string relativePath, CancellationToken cancellationToken);
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
        catch (SyncthingApiException)
        {
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}

/// <summary>No SyncThing to ask (not running, or the CLI collecting on its own).</summary>
public sealed class NoVersionOrigins : IVersionOrigins
{
    public Task<string?> ModifiedByAsync(string folderId, string relativePath, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
