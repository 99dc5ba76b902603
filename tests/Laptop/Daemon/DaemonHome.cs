using System.Diagnostics;
using System.Text.Json;
using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Client;
using Thopter.Laptop.Daemon.Host;
using Thopter.Shared.Timing;
using Thopter.Tests.Shared;

namespace Thopter.Tests.Laptop.Daemon;

/// <summary>
/// A temporary laptop home whose daemon is the real one, started by the CLI the way it starts it for users
/// (detached `thopter sync daemon run`, a separate process of the built thopter). Disposing stops that daemon,
/// killing it if it does not stop, so no test leaves one behind.
/// </summary>
public sealed class DaemonHome : IAsyncDisposable
{
    /// <summary>The built thopter next to the tests (its runtimeconfig is copied with it).</summary>
    public static IReadOnlyList<string> ThopterCommand { get; } = ["dotnet", Path.Combine(AppContext.BaseDirectory, "thopter.dll")];

    public TempDirectory Home { get; } = new();

    public CliEnvironment Environment => new() { Home = Home.Path, SelfCommand = ThopterCommand, RuntimeDirectory = null };

    public DaemonPaths Paths => DaemonPaths.For(Home.Path, null);

    public DaemonConnection Connect() => new(Paths.Socket);

    public async Task<int?> PidAsync()
    {
        using var connection = Connect();
        return (await connection.TryVersionAsync(TimeSpan.FromSeconds(5), CancellationToken.None))?.Pid;
    }

    public async Task<StatusReply> StatusAsync()
    {
        using var connection = Connect();
        return await connection.Api.GetStatusAsync(new StatusRequest());
    }

    /// <summary>Until the daemon's accelerator has its watches in place: from then on every write is seen.</summary>
    public Task WaitAcceleratingAsync() => Wait.UntilAsync(
        "the daemon's accelerator to watch the folder",
        async _ => (await StatusAsync()).Accelerator.Watching,
        TimeSpan.FromMilliseconds(20),
        TimeSpan.FromSeconds(30),
        async () => (await StatusAsync()).ToString());

    /// <summary>True while some daemon holds this home's instance lock (its process is alive).</summary>
    public bool Alive() => Holding(Paths);

    public async ValueTask DisposeAsync()
    {
        var stop = await StopDaemonAsync(Environment);
        Home.Dispose();
        if (stop.ExitCode != 0)
        {
            throw new InvalidOperationException($"`thopter sync daemon stop` failed: {stop}");
        }
    }

    /// <summary>
    /// Stops the daemon a test's `init`, `pair` or `status` may have started for <paramref name="environment"/>'s HOME
    /// (`thopter sync daemon stop`, then a kill if it still holds its lock), so no test leaves a daemon behind.
    /// </summary>
    public static async Task<CliResult> StopDaemonAsync(CliEnvironment environment)
    {
        var paths = DaemonPaths.For(environment.Home, environment.RuntimeDirectory);
        int? pid;
        using (var connection = new DaemonConnection(paths.Socket))
        {
            pid = (await connection.TryVersionAsync(TimeSpan.FromSeconds(5), CancellationToken.None))?.Pid;
        }

        var stop = await CliRun.RunAsync(environment with { UseDaemon = true }, "sync", "daemon", "stop");
        if (pid is { } orphan && Holding(paths))
        {
            using var process = Process.GetProcessById(orphan);
            process.Kill();
            await process.WaitForExitAsync();
        }

        return stop;
    }

    /// <summary>Whether a daemon holds the instance lock in these paths.</summary>
    private static bool Holding(DaemonPaths paths)
    {
        if (!Directory.Exists(paths.RunDirectory))
        {
            return false;
        }

        using var free = InstanceLock.TryAcquire(paths.Lock);
        return free is null;
    }

    /// <summary>The documents a `--json --watch` run printed so far, in order.</summary>
    public static IReadOnlyList<JsonElement> Documents(string output)
    {
        var documents = new List<JsonElement>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(output), new JsonReaderOptions { AllowMultipleValues = true });
        while (true)
        {
            try
            {
                if (!reader.Read())
                {
                    return documents;
                }

                documents.Add(JsonElement.ParseValue(ref reader));
            }
            catch (JsonException)
            {
                // The last document is still being written.
                return documents;
            }
        }
    }
}
