using System.Diagnostics;

namespace Thopter.Bench.Rig;

/// <summary>
/// The real laptop CLI (thopter.dll, built next to the bench through the project references) run as a child process
/// with HOME set to a temporary directory, so ~/.thopter.json and ~/NAME are the run's own and the user's are never touched.
/// </summary>
public sealed class ThopterCli : IDisposable
{
    private ThopterCli(string home, IReadOnlyList<string> command)
    {
        Home = home;
        Command = command;
    }

    public string Home { get; }

    /// <summary>How thopter is started: `dotnet thopter.dll` next to the bench, or a given binary (a NativeAOT or ReadyToRun build).</summary>
    public IReadOnlyList<string> Command { get; }

    public string FolderPath => Path.Combine(Home, DevboxNode.Folder);

    public static ThopterCli CreateWithTemporaryHome(string? binary = null) => new(
        Directory.CreateTempSubdirectory("thopter-home-").FullName,
        binary is null ? ["dotnet", Path.Combine(AppContext.BaseDirectory, "thopter.dll")] : [binary]);

    /// <summary>`thopter sync init` against the laptop's SyncThing, for the devbox folder name.</summary>
    public Task InitAsync(LaptopNode laptop, CancellationToken ct) =>
        RunAsync(["sync", "init", "--folder", DevboxNode.Folder, "--syncthing-home", laptop.Syncthing.HomeDir], ct);

    /// <summary>
    /// `thopter sync pair` through `docker exec -u dev CONTAINER` with the agent arguments a loopback-only test devbox
    /// needs (isolated, its own 127.0.0.1 ports, the laptop's address); waits until connected and in sync.
    /// </summary>
    public Task PairAsync(LaptopNode laptop, DevboxNode devbox, CancellationToken ct) =>
        RunAsync(
        [
            "sync", "pair", devbox.Name, "--transport", $"docker exec -u dev {devbox.Devbox.ContainerId}",
            "--agent-arg=--isolated", $"--agent-arg=--listen=tcp://127.0.0.1:{devbox.ListenPort}",
            $"--agent-arg=--gui-address=127.0.0.1:{devbox.GuiPort}", $"--agent-arg=--laptop-address=tcp://127.0.0.1:{laptop.ListenPort}",
        ],
            ct);

    /// <summary>
    /// Stops the daemon `init` and `pair` started for this HOME: runs that control the laptop's accelerator themselves
    /// (with or without it) must not have the product's running beside theirs.
    /// </summary>
    public Task StopDaemonAsync(CancellationToken ct) => RunAsync(["sync", "daemon", "stop"], ct);

    /// <summary>Runs thopter; returns its wall time in milliseconds, or throws with its exit code and output.</summary>
    public async Task<double> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct) => (await ExecuteAsync(arguments, ct)).Milliseconds;

    /// <summary>Runs thopter; returns what it printed on stdout, or throws with its exit code and output.</summary>
    public async Task<string> OutputAsync(IReadOnlyList<string> arguments, CancellationToken ct) => (await ExecuteAsync(arguments, ct)).Output;

    private async Task<(double Milliseconds, string Output)> ExecuteAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Command.Skip(1).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Home;

        // The run's daemon keeps its socket under the temporary HOME, never in the user's $XDG_RUNTIME_DIR.
        start.Environment.Remove("XDG_RUNTIME_DIR");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        return process.ExitCode == 0
            ? (elapsed, await stdout)
            : throw new InvalidOperationException($"thopter {string.Join(' ', arguments.Take(3))} exited {process.ExitCode}:\n{await stderr}{await stdout}");
    }

    public void Dispose()
    {
        if (!Directory.Exists(Home))
        {
            return;
        }

        // Dispose cannot await; the daemon must not outlive the HOME it serves.
        StopDaemonAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (Directory.Exists(Home))
        {
            Directory.Delete(Home, recursive: true);
        }
    }
}
