using System.Diagnostics;
using Thopter.Bench;
using Thopter.Bench.Report;

// thopter-bench [--quick] ...: the benchmark suite (scripts/bench.sh); thopter-bench demo: the newcomer's demo (scripts/demo.sh);
// thopter-bench status [--cli BINARY] [--devboxes N] [--trials N]: `thopter sync status --json` wall time through the daemon.
var repoRoot = FindRepoRoot();
var clock = Stopwatch.StartNew();
void Log(string message) => Console.Error.WriteLine($"[bench {clock.Elapsed:mm\\:ss}] {message}");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Log("interrupted: cleaning up");
    cancel.Cancel();
};

try
{
    if (args.Length > 0 && args[0] == "demo")
    {
        return await new Demo(Console.Out).RunAsync(cancel.Token);
    }

    if (args.Length > 0 && args[0] == "status")
    {
        var status = StatusOptions.Parse(args.Skip(1).ToList());
        return await new StatusLatency(Console.Out).RunAsync(status.Binary, status.Devboxes, status.Trials, cancel.Token);
    }

    var options = BenchOptions.Parse(args, repoRoot);
    if (options.Only == "subsecond")
    {
        Console.WriteLine(await new Thopter.Bench.Workloads.SubSecondWatcher(Log).RunAsync(options.Trials, cancel.Token));
        return 0;
    }

    if (options.Only == "WAN")
    {
        await using var mirror = await Thopter.Tests.Harness.ReleaseMirror.LocalReleaseMirror.StartAsync("v1.19.2");
        Console.WriteLine(await new Thopter.Bench.Workloads.WanRoutes(Log).RunAsync(mirror, options.Trials, cancel.Token));
        return 0;
    }

    if (options.Only == "tunnel")
    {
        await using var mirror = await Thopter.Tests.Harness.ReleaseMirror.LocalReleaseMirror.StartAsync("v1.19.2");
        Console.WriteLine(await new Thopter.Bench.Workloads.ExecTunnel(Log).RunAsync(mirror, options.Trials, cancel.Token));
        return 0;
    }

    if (options.Only == "P7")
    {
        Console.WriteLine(await BenchRun.BigWorkspaceAsync(options, Log, cancel.Token));
        return 0;
    }

    var results = await new BenchRun(options, Log).RunAsync(cancel.Token);
    var machine = MachineInfo.Current();
    if (options.Only is not null)
    {
        Console.WriteLine(ResultTable.Render(results, options));
        return 0;
    }

    var png = Path.ChangeExtension(options.OutputPath, ".png");
    var chart = await Chart.DrawAsync(results, png, Log);
    var previous = File.Exists(options.OutputPath) ? await File.ReadAllTextAsync(options.OutputPath) : null;
    await File.WriteAllTextAsync(options.OutputPath, BenchmarksDocument.Render(results, options, machine, chart is null ? null : Path.GetFileName(png), previous));
    Console.WriteLine($"{machine}");
    Console.WriteLine(ResultTable.Render(results, options));
    Log($"wrote {options.OutputPath}{(chart is null ? "" : $" and {png}")}");
    return 0;
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 2;
}
catch (Exception) when (cancel.IsCancellationRequested)
{
    // Ctrl-C reaches the whole process group, so children (thopter, docker exec) may fail before the token is seen.
    Console.Error.WriteLine("interrupted: everything started was removed");
    return 130;
}
catch (Exception error) when (error is InvalidOperationException or TimeoutException or IOException or Thopter.Shared.Timing.WaitTimeoutException or HttpRequestException)
{
    Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("  fix: see the message; `docker ps -a --filter label=thopter.bench=1` should list nothing (everything started was removed)");
    return 1;
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Thopter.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
