using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using Thopter.Agent.Acceleration;
using Thopter.Agent.Systemd;
using Thopter.Shared.IO;
using Thopter.Shared.Logging;

namespace Thopter.Agent.Supervision;

/// <summary>
/// `thopter-agent run`: a generic host around <see cref="SyncthingSupervisor"/>. The host's
/// console lifetime turns SIGTERM/SIGINT into a clean SyncThing shutdown.
/// </summary>
public static class SupervisorHost
{
    private const long MaxLogBytes = 10 * 1024 * 1024;

    /// <param name="accelerateFor">When set (the user's home), the accelerator runs in the same process beside SyncThing.</param>
    public static async Task<int> RunAsync(SyncthingServiceSpec spec, string? pidFile, string? logFile, string? accelerateFor, LogFormat logFormat, CancellationToken cancellationToken)
    {
        if (logFile is not null)
        {
            RedirectStdio(logFile);
        }

        if (pidFile is not null && DetachedSupervisor.LivePid(pidFile) is { } other && other != Environment.ProcessId)
        {
            await Console.Error.WriteLineAsync($"a supervisor is already running (pid {other}, {pidFile}); leaving it alone").ConfigureAwait(false);
            return 0;
        }

        var builder = CreateBuilder(LogEventLevel.Information, logFormat);
        builder.Services.AddSingleton(spec);
        builder.Services.AddSingleton(RestartPolicy.Default());
        builder.Services.AddSingleton<IChildProcessLauncher, ChildProcessLauncher>();
        builder.Services.AddSingleton<IStartCheck, SyncthingStartCheck>();
        builder.Services.AddSingleton<SyncthingSupervisor>();
        builder.Services.AddSingleton<SupervisorService>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SupervisorService>());
        if (accelerateFor is not null)
        {
            builder.Services.AddAccelerator(spec.HomeDirectory, accelerateFor);
        }

        using var host = builder.Build();
        var service = host.Services.GetRequiredService<SupervisorService>();
        if (pidFile is not null)
        {
            AtomicFile.WriteText(pidFile, $"{Environment.ProcessId}\n", AtomicFile.PrivateMode, keepBackup: false);
        }

        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return service.ExitCode;
        }
        finally
        {
            if (pidFile is not null && DetachedSupervisor.ReadPid(pidFile) == Environment.ProcessId)
            {
                File.Delete(pidFile);
            }
        }
    }

    /// <summary>The agent's long-running hosts (run, accelerate): the shared Serilog setup on stderr, a clean shutdown on SIGTERM.</summary>
    public static HostApplicationBuilder CreateBuilder(LogEventLevel level, LogFormat format)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSerilog(ThopterLog.Create(level, format), dispose: true);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return builder;
    }

    /// <summary>
    /// A detached supervisor must not hold its launcher's stdout (over ssh that would keep the
    /// session open), so stdout and stderr move to the log file and stdin to /dev/null.
    /// </summary>
    private static void RedirectStdio(string logFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        if (File.Exists(logFile) && new FileInfo(logFile).Length > MaxLogBytes)
        {
            // One generation is kept: enough to see what happened before the last start.
            File.Move(logFile, logFile + ".1", overwrite: true);
        }

        var log = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite, UnixCreateMode = AtomicFile.PrivateMode };
        using var logStream = new FileStream(logFile, log);
        using var nullStream = new FileStream("/dev/null", FileMode.Open, FileAccess.Read);
        var logFd = (int)logStream.SafeFileHandle.DangerousGetHandle();
        var nullFd = (int)nullStream.SafeFileHandle.DangerousGetHandle();
        if (Libc.Dup2(nullFd, 0) < 0 || Libc.Dup2(logFd, 1) < 0 || Libc.Dup2(logFd, 2) < 0)
        {
            throw new IOException($"could not redirect output to {logFile}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        // .NET's Console writers hold their own dup of the descriptors they were opened on; if they
        // were touched before the redirect they would keep writing to the launcher's stdio.
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true });
        Console.SetError(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });
    }
}
