using Thopter.Laptop.Cli;
using Thopter.Laptop.Daemon;
using Thopter.Laptop.Daemon.Api;
using Thopter.Laptop.Daemon.Client;
using Thopter.Laptop.Daemon.Host;

namespace Thopter.Laptop.Doctor;

/// <summary>`doctor`'s look at the daemon: its private directory and socket, whether it runs and is current, its service, its accelerator.</summary>
public static class DaemonChecks
{
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task<IReadOnlyList<DoctorCheck>> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var launcher = DaemonLauncher.For(context);
        var paths = launcher.Paths;
        var checks = new List<DoctorCheck> { await ServiceAsync(launcher, context, cancellationToken).ConfigureAwait(false) };
        const string start = "run `thopter sync daemon start` (or any `thopter sync status`)";
        if (!Directory.Exists(paths.RunDirectory))
        {
            checks.Add(DoctorCheck.Fail("daemon", $"not running (no {paths.RunDirectory})", start));
            return checks;
        }

        var directoryMode = File.GetUnixFileMode(paths.RunDirectory);
        checks.Add(directoryMode == PrivateDirectory.Mode
            ? DoctorCheck.Ok("daemon directory", $"{context.Pretty(paths.RunDirectory)} is 0700")
            : DoctorCheck.Fail("daemon directory", $"{paths.RunDirectory} has mode {Octal(directoryMode)}: other users may reach the daemon", $"`chmod 700 {paths.RunDirectory}`, then `thopter sync daemon stop` and run any command"));

        using var connection = new DaemonConnection(paths.Socket);
        var running = await connection.TryVersionAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        if (running is null)
        {
            checks.Add(DoctorCheck.Fail("daemon", $"nothing answers on {paths.Socket}", $"{start}; if it fails, its log: {launcher.LogHint}"));
            return checks;
        }

        var socketMode = File.GetUnixFileMode(paths.Socket);
        checks.Add(socketMode == SocketMode
            ? DoctorCheck.Ok("daemon socket", $"{context.Pretty(paths.Socket)} is 0600")
            : DoctorCheck.Fail("daemon socket", $"{paths.Socket} has mode {Octal(socketMode)}", "run `thopter sync daemon stop`, then any command: a new daemon creates it 0600"));
        checks.Add(DaemonVersion.Compare(running.Version, DaemonVersion.Current) == 0
            ? DoctorCheck.Ok("daemon", $"version {running.Version}, pid {running.Pid}")
            : DoctorCheck.Fail("daemon", $"version {running.Version} runs, this thopter is {DaemonVersion.Current}", "run `thopter sync daemon start`: it replaces an older daemon"));

        var status = await connection.Api.GetStatusAsync(new StatusRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        checks.Add(status.Accelerator.Watching
            ? DoctorCheck.Ok("accelerator", $"watching {context.Pretty(status.FolderPath)}: {status.Accelerator.Scans} scans, {status.Accelerator.Failures} failed requests")
            : DoctorCheck.Fail("accelerator", $"not watching the synced folder{(status.LastError.Length > 0 ? $": {status.LastError}" : string.Empty)}", $"see the daemon's log: {launcher.LogHint}"));
        return checks;
    }

    private static async Task<DoctorCheck> ServiceAsync(DaemonLauncher launcher, CommandContext context, CancellationToken cancellationToken)
    {
        var service = launcher.Service;
        var available = await service.AvailableAsync(cancellationToken).ConfigureAwait(false);
        return (service.Installed, available) switch
        {
            (true, true) => DoctorCheck.Ok("daemon service", $"{service.Describe} ({context.Pretty(service.DefinitionPath)})"),
            (true, false) => new DoctorCheck("daemon service", CheckOutcome.Warn, $"{service.Describe} is installed, but no service manager answers in this session: commands start the daemon themselves", "nothing to do unless you expected one"),
            (false, true) => new DoctorCheck("daemon service", CheckOutcome.Warn, $"no {service.Describe}: the daemon runs only once a command starts it, not at login", "run `thopter sync init` to install it"),
            _ => DoctorCheck.Ok("daemon service", "no service manager here: commands start the daemon when needed"),
        };
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
