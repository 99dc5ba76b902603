using Thopter.Shared.Rest;

namespace Thopter.Laptop.Syncthing;

/// <summary>Where the laptop's SyncThing REST API is, its key, and where that came from (for messages).</summary>
public sealed record SyncthingEndpoint(Uri Address, SyncthingApiKey Key, string Source)
{
    public SyncthingRestClient CreateClient(HttpMessageHandler? handler) => new(Address, Key, handler);
}
