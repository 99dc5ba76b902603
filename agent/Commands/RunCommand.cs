using System.CommandLine;
using Thopter.Agent.Supervision;
using Thopter.Agent.Systemd;
using Thopter.Shared.Logging;

namespace Thopter.Agent.Commands;

/// <summary>
/// `thopter-agent run`: supervise SyncThing in the foreground (the fallback when no systemd user manager is reachable).
/// It prints nothing on success (it runs until stopped); its failures are the agent's JSON error with a code from
/// <see cref="ExitCodes"/>, like every other command.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var syncthing = new Option<string>("--syncthing") { Description = "absolute path of the SyncThing binary", Required = true };
        var home = new Option<string>("--home") { Description = "SyncThing home (config and database), absolute", Required = true };
        var pidFile = new Option<string?>("--pid-file") { Description = "record this process's pid here while it runs" };
        var logFile = new Option<string?>("--log-file") { Description = "send stdout and stderr (ours and SyncThing's) to this file" };
        var accelerate = new Option<bool>("--accelerate") { Description = "also run the accelerator (targeted scans on file changes) in this process" };
        var version = new Option<string?>("--syncthing-version") { Description = "the binary's release (its command line differs between 1.x and 2.x; default 1.x)" };
        var logFormat = LogFormatOption.Create();
        var command = new Command("run", "Run SyncThing in the foreground and restart it when it exits or crashes")
        {
            syncthing, home, pidFile, logFile, accelerate, version, logFormat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var spec = Spec(parse.GetValue(syncthing)!, parse.GetValue(home)!, parse.GetValue(version));
                var exit = await SupervisorHost.RunAsync(
                    spec,
                    parse.GetValue(pidFile),
                    parse.GetValue(logFile),
                    parse.GetValue(accelerate) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : null,
                    parse.GetValue(logFormat),
                    cancellationToken).ConfigureAwait(false);
                return exit == SyncthingSupervisor.CannotStartExitCode ? throw CannotStart(spec.SyncthingBinary) : exit;
            }
            catch (Exception error)
            {
                // After --log-file the process's stdout is the log: Console.Out (not the invocation's writer) follows it.
                var output = parse.GetValue(logFile) is null ? parse.InvocationConfiguration.Output : Console.Out;
                var mapped = ErrorMapper.Map(error);
                CommandRunner.Report(false, output, parse.InvocationConfiguration.Error, mapped);
                return mapped.Code.Value;
            }
        });
        return command;
    }

    private static SyncthingServiceSpec Spec(string binary, string home, string? version)
    {
        SyncthingServiceSpec spec;
        try
        {
            spec = new SyncthingServiceSpec(binary, home) { SyncthingVersion = version };
        }
        catch (ArgumentException error)
        {
            throw new AgentException(ExitCodes.Usage, $"run: {error.Message}", "pass absolute paths to --syncthing and --home", error);
        }

        return File.Exists(spec.SyncthingBinary) ? spec : throw CannotStart(spec.SyncthingBinary);
    }

    private static AgentException CannotStart(string binary) => new(
        ExitCodes.SyncthingNotStartable,
        $"run: SyncThing cannot be started from {binary} (missing or not executable)",
        "install SyncThing (thopter-agent setup) or pass its path with --syncthing");
}
