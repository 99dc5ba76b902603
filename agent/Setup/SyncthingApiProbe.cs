using System.Text.Json;
using Thopter.Shared.Devices;

namespace Thopter.Agent.Setup;

/// <summary>
/// The few REST calls setup and status make. Interim: shared/Rest's SyncthingRestClient replaces this once it is in
/// main. The key goes only into the request header; failures never echo it.
/// </summary>
public sealed class SyncthingApiProbe(HttpMessageHandler handler, string guiAddress, string apiKey) : IDisposable
{
    private readonly HttpClient http = new(handler, disposeHandler: false)
    {
        BaseAddress = AddressRules.GuiBaseUri(guiAddress),
        Timeout = TimeSpan.FromSeconds(5),
        DefaultRequestHeaders = { { "X-API-Key", apiKey } },
    };

    /// <summary>GET /rest/system/status myID.</summary>
    public async Task<DeviceId> MyIdAsync(CancellationToken cancellationToken)
    {
        using var status = await GetAsync("rest/system/status", cancellationToken).ConfigureAwait(false);
        return DeviceId.Parse(status.RootElement.GetProperty("myID").GetString() ?? string.Empty);
    }

    /// <summary>Whether SyncThing holds a live connection to <paramref name="peer"/> (GET /rest/system/connections).</summary>
    public async Task<bool> ConnectedAsync(DeviceId peer, CancellationToken cancellationToken)
    {
        using var connections = await GetAsync("rest/system/connections", cancellationToken).ConfigureAwait(false);
        return connections.RootElement.TryGetProperty("connections", out var all) &&
               all.TryGetProperty(peer.ToString(), out var entry) &&
               entry.TryGetProperty("connected", out var connected) && connected.GetBoolean();
    }

    /// <summary>The folder's state (idle, scanning, syncing, error ...) from GET /rest/db/status.</summary>
    public async Task<string> FolderStateAsync(string folderId, CancellationToken cancellationToken)
    {
        using var status = await GetAsync($"rest/db/status?folder={Uri.EscapeDataString(folderId)}", cancellationToken).ConfigureAwait(false);
        return status.RootElement.TryGetProperty("state", out var state) ? state.GetString() ?? "unknown" : "unknown";
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /{path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
