using Thopter.Shared.Acceleration;
using Thopter.Shared.Rest;

namespace Thopter.Agent.Acceleration;

/// <summary>The REST calls the accelerator service makes: readiness and targeted scans. Tests pass a fake; production is <see cref="RestAcceleratorApi"/>.</summary>
public interface IAcceleratorApi : IFolderScanner, IDisposable
{
    /// <summary>Throws while SyncThing's REST API does not answer (not started yet, restarting, wrong key).</summary>
    Task PingAsync(CancellationToken ct);
}

/// <summary>SyncThing's REST API on the loopback GUI address from config.xml.</summary>
public sealed class RestAcceleratorApi : IAcceleratorApi
{
    private readonly SyncthingRestClient _client;
    private readonly RestFolderScanner _scanner;

    public RestAcceleratorApi(Uri baseAddress, string apiKey)
    {
        _client = new SyncthingRestClient(baseAddress, new SyncthingApiKey(apiKey), requestTimeout: TimeSpan.FromSeconds(5));
        _scanner = new RestFolderScanner(_client);
    }

    public Task PingAsync(CancellationToken ct) => _client.PingAsync(ct);

    public Task ScanAsync(string folderId, IReadOnlyCollection<string> subPaths, CancellationToken ct) => _scanner.ScanAsync(folderId, subPaths, ct);

    public void Dispose() => _client.Dispose();
}
