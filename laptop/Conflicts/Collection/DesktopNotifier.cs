using Thopter.Shared.Processes;

namespace Thopter.Laptop.Conflicts.Collection;

/// <summary>Shows a desktop notification where the laptop has a way to (notify-send on Linux, osascript on macOS).</summary>
public interface IDesktopNotifier
{
    /// <summary>False when this laptop has no notifier or it failed (the daemon's log and event stream still tell).</summary>
    Task<bool> NotifyAsync(string title, string body, CancellationToken cancellationToken);
}

/// <summary>Runs the platform's notifier through the process seam; a laptop without one is told nothing, quietly.</summary>
public sealed class DesktopNotifier(IProcessRunner processes, string searchPath, bool macOs) : IDesktopNotifier
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static DesktopNotifier ForThisLaptop() =>
        new(new ProcessRunner(), Environment.GetEnvironmentVariable("PATH") ?? string.Empty, OperatingSystem.IsMacOS());

    public async Task<bool> NotifyAsync(string title, string body, CancellationToken cancellationToken)
    {
        var spec = macOs ? AppleScript(title, body) : NotifySend(title, body);
        if (spec is null)
        {
            return false;
        }

        try
        {
            return (await processes.RunAsync(spec, cancellationToken).ConfigureAwait(false)).Succeeded;
        }
        catch (Exception error) when (error is IOException or System.ComponentModel.Win32Exception or TimeoutException or ProcessOutputLimitException)
        {
            return false;
        }
    }

    private ProcessSpec? NotifySend(string title, string body)
    {
        var program = searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "notify-send"))
            .FirstOrDefault(File.Exists);
        return program is null ? null : new ProcessSpec(program, ["--app-name=thopter", "--", title, body]) { Timeout = Timeout };
    }

    // The texts travel as arguments of the script (`on run argv`), never spliced into its source.
    private static ProcessSpec AppleScript(string title, string body) =>
        new("/usr/bin/osascript", ["-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)", "-e", "end run", title, body]) { Timeout = Timeout };
}
