using System.Diagnostics;

namespace Thopter.Laptop.Daemon.Client;

/// <summary>
/// Starts `thopter sync daemon run --detach` where no service manager runs it (a container, a minimal VM), as
/// Mutagen's CLI starts its daemon: stdio on /dev/null (through sh's redirections, arguments passed as sh's
/// positional parameters, never parsed by it), not waited for; the daemon leaves the CLI's session itself.
/// </summary>
public static class DetachedStart
{
    public static void Start(IReadOnlyList<string> selfCommand, IReadOnlyList<string> daemonArguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", "exec \"$@\" </dev/null >/dev/null 2>&1", "thopter-daemon" }.Concat(selfCommand).Concat(daemonArguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
    }
}
