using System.Diagnostics;
using System.Text;
using Thopter.Shared.Config;
using Thopter.Shared.Timing;

namespace Thopter.Tests.Harness;

/// <summary>
/// The real `syncthing serve` on a home directory whose config.xml already exists (see
/// <see cref="SyncthingTestHome"/>). The GUI address and API key come from that config, so the key
/// never appears on a command line. Ready once GET /rest/system/ping answers; the captured log is
/// in every failure message. Disposing shuts it down (REST shutdown, then kill). Any release of
/// <see cref="SyncthingBinary"/> runs the same way (their serve flags are the same up to 1.29).
/// </summary>
public sealed class SyncthingProcess : IAsyncDisposable
{
    /// <summary>Debian's v1.19.2, the default release (a constant, so tests can name it in attributes).</summary>
    public const string Binary = "/usr/bin/syncthing";

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _logGate = new();
    private bool _disposed;
    private bool _ready;

    private SyncthingProcess(Process process, SyncthingBinary syncthing, string homeDir, Uri baseAddress, string apiKey)
    {
        _process = process;
        Syncthing = syncthing;
        HomeDir = homeDir;
        BaseAddress = baseAddress;
        ApiKey = apiKey;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
    }

    public SyncthingBinary Syncthing { get; }

    public string HomeDir { get; }

    public Uri BaseAddress { get; }

    public string ApiKey { get; }

    /// <summary>An HttpClient for this instance's REST API, X-API-Key already set.</summary>
    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>Everything SyncThing wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_logGate)
            {
                return _log.ToString();
            }
        }
    }

    public static Task<SyncthingProcess> StartAsync(string homeDir, TimeSpan? readyTimeout = null, CancellationToken cancellationToken = default) =>
        StartAsync(SyncthingBinary.Default, homeDir, readyTimeout, cancellationToken);

    public static async Task<SyncthingProcess> StartAsync(SyncthingBinary syncthing, string homeDir, TimeSpan? readyTimeout = null, CancellationToken cancellationToken = default)
    {
        var config = SyncthingConfigDocument.Load(Path.Combine(homeDir, "config.xml"));
        var gui = config.Gui ?? throw new InvalidOperationException($"{homeDir}/config.xml has no <gui> section");
        if (!gui.Address.StartsWith("127.0.0.1:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"test SyncThing must listen on 127.0.0.1 only, config has GUI address {gui.Address}");
        }

        var start = new ProcessStartInfo(syncthing.EnsureInstalled())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "serve", "--home", homeDir, "--no-browser", "--no-restart", "--no-upgrade", "--logflags=3" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["STNODEFAULTFOLDER"] = "1";
        start.Environment["STNOUPGRADE"] = "1";
        start.Environment["STNORESTART"] = "1";
        start.Environment["STMONITORED"] = null;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var instance = new SyncthingProcess(process, syncthing, homeDir, new Uri($"http://{gui.Address}/"), gui.ApiKey);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {syncthing}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await instance.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // Only a ready instance is asked to shut down; whatever holds the port of one that never
        // answered may not be SyncThing at all.
        if (_ready && !_process.HasExited)
        {
            try
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                using var shutdown = await Client.PostAsync(new Uri("rest/system/shutdown", UriKind.Relative), null, grace.Token);
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
            {
                // Did not go quietly; the kill below ends it.
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _disposed = true;
        Client.Dispose();
        _process.Dispose();
    }

    /// <summary>A failure message with the last lines of the log, for assertions and timeouts.</summary>
    public string Describe(string what)
    {
        var lines = Log.Split('\n');
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
        return $"{what}\n--- syncthing log ({Syncthing.Version}, {HomeDir}, last 40 lines) ---\n{tail}";
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Wait.UntilAsync(
            $"syncthing in {HomeDir} to answer GET /rest/system/ping on {BaseAddress}",
            async ct =>
            {
                if (_process.HasExited)
                {
                    return true;
                }

                // Bounded per attempt, so a port that accepts but never answers cannot outlast the timeout.
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await Client.GetAsync(new Uri("rest/system/ping", UriKind.Relative), attempt.Token);
                return response.IsSuccessStatusCode;
            },
            TimeSpan.FromMilliseconds(100),
            timeout,
            () => Task.FromResult(Describe("not ready")),
            cancellationToken: cancellationToken);

        if (_process.HasExited)
        {
            throw new InvalidOperationException(Describe($"syncthing exited with code {_process.ExitCode} before it was ready"));
        }

        _ready = true;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            _log.Append(line).Append('\n');
        }
    }
}
