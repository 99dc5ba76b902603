using System.Globalization;
using System.Security;
using System.Text;
using Thopter.Laptop.Errors;
using Thopter.Shared.IO;
using Thopter.Shared.Processes;

namespace Thopter.Laptop.Daemon.Service;

/// <summary>
/// The daemon as a launchd agent on macOS: a plist in ~/Library/LaunchAgents, loaded with `launchctl bootstrap
/// gui/UID`. launchd restarts it when it exits with an error (KeepAlive/SuccessfulExit false), as systemd's
/// Restart=on-failure does. The plist is rendered by a pure function and checked by a golden file: macOS cannot run here.
/// </summary>
public sealed class LaunchdAgent(string home, IProcessRunner processes) : IUserService
{
    public const string Label = "dev.thopter.daemon";

    public string Describe => $"launchd agent {Label}";

    public string DefinitionPath => Path.Combine(home, "Library", "LaunchAgents", Label + ".plist");

    public bool Installed => File.Exists(DefinitionPath);

    /// <summary>The plist for <paramref name="command"/>; the daemon logs to its rotated file under <paramref name="paths"/>.</summary>
    public static string Render(IReadOnlyList<string> command, DaemonPaths paths)
    {
        var text = new StringBuilder();
        text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        text.Append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        text.Append("<!-- Written by `thopter sync init`; `thopter sync daemon uninstall` removes it. -->\n");
        text.Append("<plist version=\"1.0\">\n<dict>\n");
        text.Append("  <key>Label</key>\n  <string>").Append(Label).Append("</string>\n");
        text.Append("  <key>ProgramArguments</key>\n  <array>\n");
        foreach (var argument in command.Concat(["sync", "daemon", "run", "--log-file"]))
        {
            text.Append("    <string>").Append(SecurityElement.Escape(argument)).Append("</string>\n");
        }

        text.Append("  </array>\n");
        text.Append("  <key>RunAtLoad</key>\n  <true/>\n");
        text.Append("  <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n");
        text.Append("  <key>ProcessType</key>\n  <string>Background</string>\n");
        // Only what fails before the daemon's own log is open lands here.
        text.Append("  <key>StandardErrorPath</key>\n  <string>").Append(SecurityElement.Escape(Path.Combine(paths.StateDirectory, "daemon-launchd.log"))).Append("</string>\n");
        text.Append("</dict>\n</plist>\n");
        return text.ToString();
    }

    public Task<bool> AvailableAsync(CancellationToken cancellationToken) => Task.FromResult(OperatingSystem.IsMacOS());

    public async Task<bool> InstallAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var changed = AtomicFile.WriteText(DefinitionPath, Render(command, DaemonPaths.For(home, null)), AtomicFile.PublicMode, keepBackup: false);
        var domain = await DomainAsync(cancellationToken).ConfigureAwait(false);
        // bootout fails when the agent is not loaded yet: that is fine, bootstrap then loads it fresh.
        await LaunchctlAsync(cancellationToken, mustSucceed: false, "bootout", $"{domain}/{Label}").ConfigureAwait(false);
        await LaunchctlAsync(cancellationToken, mustSucceed: true, "bootstrap", domain, DefinitionPath).ConfigureAwait(false);
        return changed;
    }

    public async Task StartAsync(CancellationToken cancellationToken) =>
        await LaunchctlAsync(cancellationToken, mustSucceed: true, "kickstart", $"{await DomainAsync(cancellationToken).ConfigureAwait(false)}/{Label}").ConfigureAwait(false);

    public async Task<bool> UninstallAsync(CancellationToken cancellationToken)
    {
        if (!Installed)
        {
            return false;
        }

        await LaunchctlAsync(cancellationToken, mustSucceed: false, "bootout", $"{await DomainAsync(cancellationToken).ConfigureAwait(false)}/{Label}").ConfigureAwait(false);
        File.Delete(DefinitionPath);
        return true;
    }

    private async Task<string> DomainAsync(CancellationToken cancellationToken)
    {
        var id = await processes.RunAsync(new ProcessSpec("id", ["-u"]) { Timeout = TimeSpan.FromSeconds(10) }, cancellationToken).ConfigureAwait(false);
        return int.TryParse(id.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            ? $"gui/{uid}"
            : throw new ThopterException(ErrorKind.DaemonUnavailable, $"`id -u` printed \"{id.StandardOutput.Trim()}\", not a user ID", "run `thopter sync init --no-service`: the daemon then starts on demand");
    }

    private async Task LaunchctlAsync(CancellationToken cancellationToken, bool mustSucceed, params string[] arguments)
    {
        var spec = new ProcessSpec("launchctl", arguments) { Timeout = TimeSpan.FromSeconds(60) };
        var result = await processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        if (mustSucceed && !result.Succeeded)
        {
            throw new ThopterException(
                ErrorKind.DaemonUnavailable,
                $"`{spec}` failed (exit {result.ExitCode}): {result.StandardError.Trim()}",
                "check `launchctl print gui/$(id -u)/" + Label + "`, or run `thopter sync init --no-service`");
        }
    }
}
