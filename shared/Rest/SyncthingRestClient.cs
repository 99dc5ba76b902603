using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Thopter.Shared.Rest;

/// <summary>
/// SyncThing's REST API (v1.19 and v2.x): authenticated with the X-API-Key header, every failure
/// turned into one <see cref="SyncthingApiException"/> whose text never contains the key.
/// The transport is an injectable <see cref="HttpMessageHandler"/> so logic is unit-testable.
/// </summary>
public sealed class SyncthingRestClient : IDisposable
{
    public static readonly Uri DefaultAddress = new("http://127.0.0.1:8384/");
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultScanTimeout = TimeSpan.FromMinutes(10);

    private static readonly SyncthingJsonContext Json = SyncthingJsonContext.Default;
    private readonly HttpClient http;
    private readonly SyncthingApiKey apiKey;
    private readonly TimeSpan requestTimeout;

    public SyncthingRestClient(Uri baseAddress, SyncthingApiKey apiKey, HttpMessageHandler? handler = null, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(apiKey);
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout ?? DefaultRequestTimeout;

        // Per-request deadlines instead of HttpClient.Timeout: the events long-poll and scans need longer ones.
        http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }, disposeHandler: true)
        {
            BaseAddress = BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.Add("X-API-Key", apiKey.Reveal());
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri BaseAddress { get; }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var pong = await GetAsync("rest/system/ping", Json.PingResponse, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(pong.Ping, "pong", StringComparison.Ordinal))
        {
            throw BadResponse("rest/system/ping", "it did not answer \"pong\"");
        }
    }

    public Task<SystemStatus> GetSystemStatusAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/system/status", Json.SystemStatus, cancellationToken);

    public Task<SystemVersion> GetVersionAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/system/version", Json.SystemVersion, cancellationToken);

    public Task<RestConfiguration> GetConfigAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/config", Json.RestConfiguration, cancellationToken);

    public async Task<IReadOnlyList<RestDevice>> GetDevicesAsync(CancellationToken cancellationToken = default) =>
        await GetAsync("rest/config/devices", Json.ListRestDevice, cancellationToken).ConfigureAwait(false);

    /// <summary>The device's configuration, or null when SyncThing does not know it.</summary>
    public Task<RestDevice?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"rest/config/devices/{Escape(deviceId)}", Json.RestDevice, cancellationToken);

    /// <summary>Adds or replaces a device; fields left null get SyncThing's defaults.</summary>
    public Task PutDeviceAsync(RestDevice device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        return SendJsonAsync(HttpMethod.Put, $"rest/config/devices/{Escape(device.DeviceId)}", device, Json.RestDevice, cancellationToken);
    }

    /// <summary>Removes a device. Returns false when it was not there (so removing twice is fine).</summary>
    public Task<bool> DeleteDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        DeleteAsync($"rest/config/devices/{Escape(deviceId)}", Json.RestDevice, cancellationToken);

    public async Task<IReadOnlyList<RestFolder>> GetFoldersAsync(CancellationToken cancellationToken = default) =>
        await GetAsync("rest/config/folders", Json.ListRestFolder, cancellationToken).ConfigureAwait(false);

    /// <summary>The folder's configuration, or null when SyncThing does not know it.</summary>
    public Task<RestFolder?> GetFolderAsync(string folderId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"rest/config/folders/{Escape(folderId)}", Json.RestFolder, cancellationToken);

    /// <summary>Adds or replaces a folder; fields left null get SyncThing's defaults.</summary>
    public Task PutFolderAsync(RestFolder folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return SendJsonAsync(HttpMethod.Put, $"rest/config/folders/{Escape(folder.Id)}", folder, Json.RestFolder, cancellationToken);
    }

    /// <summary>Removes a folder from SyncThing (its files stay on disk). Returns false when it was not there.</summary>
    public Task<bool> DeleteFolderAsync(string folderId, CancellationToken cancellationToken = default) =>
        DeleteAsync($"rest/config/folders/{Escape(folderId)}", Json.RestFolder, cancellationToken);

    public Task<RestOptions> GetOptionsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/config/options", Json.RestOptions, cancellationToken);

    /// <summary>Changes only the option fields that are set (PATCH merges into the current options).</summary>
    public Task PatchOptionsAsync(RestOptions options, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Patch, "rest/config/options", options, Json.RestOptions, cancellationToken);

    public Task<RestGui> GetGuiAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/config/gui", Json.RestGui, cancellationToken);

    /// <summary>Changes only the GUI fields that are set (PATCH merges into the current GUI settings).</summary>
    public Task PatchGuiAsync(RestGui gui, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Patch, "rest/config/gui", gui, Json.RestGui, cancellationToken);

    /// <summary>
    /// Rescans <paramref name="subPaths"/> of a folder (the whole folder when empty) and returns when
    /// the scan is done: SyncThing answers this request only after scanning.
    /// </summary>
    public async Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subPaths);
        var query = new StringBuilder($"rest/db/scan?folder={Escape(folderId)}");
        foreach (var sub in subPaths)
        {
            query.Append("&sub=").Append(Escape(sub));
        }

        using var response = await SendAsync(HttpMethod.Post, query.ToString(), null, timeout ?? DefaultScanTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every configured device's connection, keyed by device ID.</summary>
    public async Task<IReadOnlyDictionary<string, DeviceConnection>> GetConnectionsAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync("rest/system/connections", Json.ConnectionsResponse, cancellationToken).ConfigureAwait(false)).Connections;

    /// <summary>Per-device statistics (last seen), keyed by device ID.</summary>
    public async Task<IReadOnlyDictionary<string, DeviceStatistics>> GetDeviceStatsAsync(CancellationToken cancellationToken = default) =>
        await GetAsync("rest/stats/device", Json.DictionaryStringDeviceStatistics, cancellationToken).ConfigureAwait(false);

    /// <summary>How complete <paramref name="deviceId"/> (null: this device) is for the folder.</summary>
    public Task<FolderCompletion> GetCompletionAsync(string folderId, string? deviceId = null, CancellationToken cancellationToken = default)
    {
        var path = $"rest/db/completion?folder={Escape(folderId)}";
        if (deviceId is not null)
        {
            path += $"&device={Escape(deviceId)}";
        }

        return GetAsync(path, Json.FolderCompletion, cancellationToken);
    }

    /// <summary>What SyncThing's database holds about one file of a folder (GET /rest/db/file), or null when it holds nothing.</summary>
    public Task<DbFile?> GetFileAsync(string folderId, string relativePath, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"rest/db/file?folder={Escape(folderId)}&file={Escape(relativePath)}", Json.DbFile, cancellationToken);

    public Task<FolderStatus> GetFolderStatusAsync(string folderId, CancellationToken cancellationToken = default) =>
        GetAsync($"rest/db/status?folder={Escape(folderId)}", Json.FolderStatus, cancellationToken);

    /// <summary>
    /// Events with an id above <paramref name="since"/>, of the given types (all when null or empty).
    /// Blocks up to <paramref name="wait"/> (whole seconds) until one arrives; an empty list means none did.
    /// </summary>
    public Task<IReadOnlyList<SyncthingEvent>> GetEventsAsync(
        long since,
        IReadOnlyCollection<string>? types,
        TimeSpan wait,
        CancellationToken cancellationToken = default) =>
        EventsAsync("rest/events", since, types is { Count: > 0 } ? $"&events={Escape(string.Join(',', types))}" : string.Empty, wait, cancellationToken);

    /// <summary>
    /// SyncThing's disk events (LocalChangeDetected: its scan found a change here; RemoteChangeDetected: it wrote a
    /// devbox's change here), each naming the device that made the change. Unlike a filtered <see cref="GetEventsAsync"/>
    /// subscription, SyncThing buffers these (its last 1000) from its own start, so they tell what happened before anyone asked.
    /// </summary>
    public Task<IReadOnlyList<SyncthingEvent>> GetDiskEventsAsync(long since, TimeSpan wait, CancellationToken cancellationToken = default) =>
        EventsAsync("rest/events/disk", since, string.Empty, wait, cancellationToken);

    /// <summary>Errors SyncThing shows in its GUI (GET /rest/system/error), oldest first.</summary>
    public async Task<IReadOnlyList<SystemErrorLine>> GetErrorsAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync("rest/system/error", Json.SystemErrorsResponse, cancellationToken).ConfigureAwait(false)).Errors ?? [];

    public void Dispose() => http.Dispose();

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private async Task<IReadOnlyList<SyncthingEvent>> EventsAsync(string endpoint, long since, string filter, TimeSpan wait, CancellationToken cancellationToken)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, wait.TotalSeconds));
        var path = $"{endpoint}?since={since}&timeout={seconds}{filter}";
        using var response = await SendAsync(HttpMethod.Get, path, null, TimeSpan.FromSeconds(seconds) + requestTimeout, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, path, Json.ListSyncthingEvent, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, requestTimeout, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, path, type, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await GetAsync(path, type, cancellationToken).ConfigureAwait(false);
        }
        catch (SyncthingApiException error) when (error.Kind == SyncthingApiErrorKind.NotFound)
        {
            return null;
        }
    }

    // SyncThing answers 200 to deleting an item it does not have, so ask first to report whether anything was removed.
    private async Task<bool> DeleteAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (await GetOrNullAsync(path, type, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        try
        {
            using var response = await SendAsync(HttpMethod.Delete, path, null, requestTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SyncthingApiException error) when (error.Kind == SyncthingApiErrorKind.NotFound)
        {
            return false;
        }
    }

    private async Task SendJsonAsync<T>(HttpMethod method, string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(method, path, content, requestTimeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException error)
        {
            throw BadResponse(path, $"the answer broke off ({error.Message})");
        }

        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw BadResponse(path, "the answer was JSON null");
        }
        catch (JsonException error)
        {
            throw BadResponse(path, $"the answer is not the JSON the API documents ({error.Message})");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SyncthingApiException(
                SyncthingApiErrorKind.Timeout,
                $"SyncThing at {BaseAddress} did not answer {method} /{PathOnly(path)} within {timeout.TotalSeconds:0.###} s",
                "check that SyncThing is not overloaded or stuck (its log, `top`); restart it if it stays unresponsive");
        }
        catch (HttpRequestException error)
        {
            throw new SyncthingApiException(
                SyncthingApiErrorKind.Unreachable,
                $"SyncThing is not answering at {BaseAddress} ({apiKey.Redact(error.Message)})",
                "start SyncThing (`syncthing serve --no-browser`, or `systemctl --user start syncthing`) and check that its GUI/REST address is this one",
                innerException: error);
        }

        if (response.IsSuccessStatusCode)
        {
            if (await DatabaseMigration.ProgressAsync(response, cancellationToken).ConfigureAwait(false) is { } progress)
            {
                response.Dispose();
                throw new SyncthingApiException(
                    SyncthingApiErrorKind.Migrating,
                    $"SyncThing at {BaseAddress} is migrating its database to 2.x's format (once; minutes on a large one){apiKey.Redact(progress)}",
                    "wait for the migration to finish (SyncThing's log says when) and run the command again");
            }

            return response;
        }

        using (response)
        {
            throw await ErrorFromAsync(response, method, path, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SyncthingApiException> ErrorFromAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var what = $"{method} /{PathOnly(path)}";
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            text = string.Empty;
        }

        text = apiKey.Redact(text.Trim());
        if (text.Length > 300)
        {
            text = text[..300] + "...";
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new SyncthingApiException(
                SyncthingApiErrorKind.Unauthorized,
                $"SyncThing at {BaseAddress} refused the API key (HTTP {status})",
                "use the API key of this SyncThing: the <apikey> element of <gui> in its config.xml (--syncthing-home DIR or --api-key-file FILE)",
                status),
            HttpStatusCode.NotFound => new SyncthingApiException(
                SyncthingApiErrorKind.NotFound,
                $"SyncThing has no such item: {what} answered 404{(text.Length > 0 ? $" ({text})" : string.Empty)}",
                "check the folder or device ID (GET /rest/config lists them)",
                status),
            _ => new SyncthingApiException(
                SyncthingApiErrorKind.Server,
                $"SyncThing rejected {what}: HTTP {status}{(text.Length > 0 ? $" ({text})" : string.Empty)}",
                "read SyncThing's reason above and its log; fix the request or SyncThing's state and retry",
                status),
        };
    }

    private SyncthingApiException BadResponse(string path, string reason) => new(
        SyncthingApiErrorKind.BadResponse,
        $"SyncThing at {BaseAddress} gave an unexpected answer to /{PathOnly(path)}: {apiKey.Redact(reason)}",
        "check that the address points at SyncThing's GUI/REST port and not another service");

    // Query strings carry folder and device IDs only, but the error text names the endpoint, not its arguments.
    private static string PathOnly(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? path : path[..query];
    }
}
