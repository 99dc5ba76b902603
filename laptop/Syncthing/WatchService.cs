using System.Text;
using Thopter.Laptop.Cli;
using Thopter.Shared.IO;
using Thopter.Shared.Processes;
using Thopter.Shared.Systemd;

namespace Thopter.Laptop.Syncthing;

/// <summary>
/// `thopter sync watch` as a systemd user service on Linux: a unit file in ~/.config/systemd/user, enabled and started
/// with `systemctl --user` (the laptop has no D-Bus code of its own, and shelling out is acceptable on the laptop).
/// macOS (a launchd agent) is not done yet: the command says so.
/// </summary>
public sealed class WatchService(string home, IProcessRunner processes)
{
    public const string UnitName = "thopter-watch.service";

    public string UnitPath => Path.Combine(home, ".config", "systemd", "user", UnitName);

    /// <summary>The unit for <paramref name="command"/> (the thopter binary, or dotnet + thopter.dll), a pure function.</summary>
    public static string Render(IReadOnlyList<string> command)
    {
        var execStart = string.Join(' ', command.Concat(["sync", "watch"]).Select(UnitFileQuoting.Quote));
        var text = new StringBuilder();
        text.Append("# Written by `thopter sync watch --install-service`; `thopter sync watch --uninstall-service` removes it.\n");
        text.Append("[Unit]\n");
        text.Append("Description=thopter sync accelerator (scans changed paths in SyncThing at once)\n");
        text.Append("After=syncthing.service\n");
        text.Append('\n');
        text.Append("[Service]\n");
        text.Append("ExecStart=").Append(execStart).Append('\n');
        // SyncThing may start after us (or not at all yet): try again until it answers.
        text.Append("Restart=on-failure\n");
        text.Append("RestartSec=5\n");
        text.Append('\n');
        text.Append("[Install]\n");
        text.Append("WantedBy=default.target\n");
        return text.ToString();
    }

    /// <summary>Writes the unit (only when it changed), reloads, enables and (re)starts it. Returns whether the file changed.</summary>
    public async Task<bool> InstallAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        RequireLinux();
        var changed = AtomicFile.WriteText(UnitPath, Render(command), AtomicFile.PublicMode, keepBackup: false);
        await SystemctlAsync(cancellationToken, "daemon-reload").ConfigureAwait(false);
        await SystemctlAsync(cancellationToken, "enable", UnitName).ConfigureAwait(false);
        await SystemctlAsync(cancellationToken, changed ? "restart" : "start", UnitName).ConfigureAwait(false);
        return changed;
    }

    /// <summary>Stops, disables and deletes the unit; nothing to do when it is not installed. Returns whether it was.</summary>
    public async Task<bool> UninstallAsync(CancellationToken cancellationToken)
    {
        RequireLinux();
        if (!File.Exists(UnitPath))
        {
            return false;
        }

        await SystemctlAsync(cancellationToken, "disable", "--now", UnitName).ConfigureAwait(false);
        File.Delete(UnitPath);
        await SystemctlAsync(cancellationToken, "daemon-reload").ConfigureAwait(false);
        return true;
    }

    private async Task SystemctlAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var spec = new ProcessSpec("systemctl", ["--user", .. arguments]) { Timeout = TimeSpan.FromSeconds(60) };
        ProcessResult result;
        try
        {
            result = await processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            throw new CliFailure(ExitCodes.InternalError, $"cannot run systemctl: {error.Message}", "install systemd, or run `thopter sync watch` yourself (e.g. from your session's autostart)", error);
        }

        if (!result.Succeeded)
        {
            throw new CliFailure(
                ExitCodes.FileSystem,
                $"`{spec}` failed (exit {result.ExitCode}): {result.StandardError.Trim()}",
                "check `systemctl --user status` (a user session with a systemd user manager is needed), or run `thopter sync watch` in a terminal");
        }
    }

    private static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            // TODO(macOS): a launchd agent in ~/Library/LaunchAgents running `thopter sync watch`.
            throw new CliFailure(ExitCodes.BadInput, "--install-service/--uninstall-service are only supported on Linux (systemd) so far",
                "run `thopter sync watch` in a terminal, or from a launchd agent you write yourself");
        }
    }
}
