using System.Text;
using Thopter.Laptop.Errors;
using Thopter.Shared.IO;
using Thopter.Shared.Processes;
using Thopter.Shared.Systemd;

namespace Thopter.Laptop.Daemon.Service;

/// <summary>
/// The daemon as a systemd user unit (Type=notify: the daemon tells systemd when its socket answers), written to
/// ~/.config/systemd/user and driven with `systemctl --user` (shelling out is acceptable on the laptop).
/// </summary>
public sealed class SystemdUserService(string home, IProcessRunner processes) : IUserService
{
    public const string UnitName = "thopter-daemon.service";

    public string Describe => $"systemd user unit {UnitName}";

    public string DefinitionPath => Path.Combine(home, ".config", "systemd", "user", UnitName);

    public bool Installed => File.Exists(DefinitionPath);

    /// <summary>The unit for <paramref name="command"/> (the thopter binary, or dotnet + thopter.dll), a pure function.</summary>
    public static string Render(IReadOnlyList<string> command)
    {
        var execStart = string.Join(' ', command.Concat(["sync", "daemon", "run"]).Select(UnitFileQuoting.Quote));
        var text = new StringBuilder();
        text.Append("# Written by `thopter sync init`; `thopter sync daemon uninstall` removes it.\n");
        text.Append("[Unit]\n");
        text.Append("Description=thopter sync daemon (scan accelerator, live status)\n");
        text.Append("After=syncthing.service\n");
        text.Append('\n');
        text.Append("[Service]\n");
        text.Append("Type=notify\n");
        text.Append("ExecStart=").Append(execStart).Append('\n');
        text.Append("Restart=on-failure\n");
        text.Append("RestartSec=2\n");
        text.Append('\n');
        text.Append("[Install]\n");
        text.Append("WantedBy=default.target\n");
        return text.ToString();
    }

    public async Task<bool> AvailableAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var result = await processes.RunAsync(new ProcessSpec("systemctl", ["--user", "show-environment"]) { Timeout = TimeSpan.FromSeconds(10) }, cancellationToken).ConfigureAwait(false);
            return result.Succeeded;
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return false;
        }
    }

    public async Task<bool> InstallAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var changed = AtomicFile.WriteText(DefinitionPath, Render(command), AtomicFile.PublicMode, keepBackup: false);
        await SystemctlAsync(cancellationToken, "daemon-reload").ConfigureAwait(false);
        await SystemctlAsync(cancellationToken, "enable", UnitName).ConfigureAwait(false);
        await SystemctlAsync(cancellationToken, changed ? "restart" : "start", UnitName).ConfigureAwait(false);
        return changed;
    }

    public Task StartAsync(CancellationToken cancellationToken) => SystemctlAsync(cancellationToken, "start", UnitName);

    public async Task<bool> UninstallAsync(CancellationToken cancellationToken)
    {
        if (!Installed)
        {
            return false;
        }

        await SystemctlAsync(cancellationToken, "disable", "--now", UnitName).ConfigureAwait(false);
        File.Delete(DefinitionPath);
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
            throw new ThopterException(ErrorKind.DaemonUnavailable, $"cannot run systemctl: {error.Message}", "run `thopter sync init --no-service`: the daemon then starts on demand", error);
        }

        if (!result.Succeeded)
        {
            throw new ThopterException(
                ErrorKind.DaemonUnavailable,
                $"`{spec}` failed (exit {result.ExitCode}): {result.StandardError.Trim()}",
                "check `systemctl --user status` (a user session with a systemd user manager is needed), or run `thopter sync init --no-service`");
        }
    }
}
