using System.CommandLine;
using Thopter.Agent.Supervision;
using Thopter.Agent.Systemd;

namespace Thopter.Agent.Commands;

/// <summary>`thopter-agent run`: supervise SyncThing in the foreground (the fallback when no systemd user manager is reachable).</summary>
public static class RunCommand
{
    /// <summary>Bad arguments: nothing was started.</summary>
    public const int InvalidArguments = 2;

    public static Command Create()
    {
        var syncthing = new Option<string>("--syncthing") { Description = "absolute path of the SyncThing binary", Required = true };
        var home = new Option<string>("--home") { Description = "SyncThing home (config and database), absolute", Required = true };
        var pidFile = new Option<string?>("--pid-file") { Description = "record this process's pid here while it runs" };
        var logFile = new Option<string?>("--log-file") { Description = "send stdout and stderr (ours and SyncThing's) to this file" };
        var accelerate = new Option<bool>("--accelerate") { Description = "also run the accelerator (targeted scans on file changes) in this process" };
        var version = new Option<string?>("--syncthing-version") { Description = "the binary's release (its command line differs between 1.x and 2.x; default 1.x)" };
        var command = new Command("run", "Run SyncThing in the foreground and restart it when it exits or crashes")
        {
            syncthing, home, pidFile, logFile, accelerate, version,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            SyncthingServiceSpec spec;
            try
            {
                spec = new SyncthingServiceSpec(parse.GetValue(syncthing)!, parse.GetValue(home)!) { SyncthingVersion = parse.GetValue(version) };
            }
            catch (ArgumentException error)
            {
                await Console.Error.WriteLineAsync($"run: {error.Message}").ConfigureAwait(false);
                return InvalidArguments;
            }

            if (!File.Exists(spec.SyncthingBinary))
            {
                await Console.Error.WriteLineAsync(
                    $"run: {spec.SyncthingBinary} does not exist; fix: install SyncThing (thopter-agent setup) or pass its path with --syncthing").ConfigureAwait(false);
                return InvalidArguments;
            }

            return await SupervisorHost.RunAsync(
                spec,
                parse.GetValue(pidFile),
                parse.GetValue(logFile),
                parse.GetValue(accelerate) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : null,
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
