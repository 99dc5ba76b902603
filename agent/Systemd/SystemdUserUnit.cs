using System.Text;
using Thopter.Shared.Systemd;

namespace Thopter.Agent.Systemd;

/// <summary>The SyncThing user unit: a pure rendering of a <see cref="SyncthingServiceSpec"/>, plus where it lives.</summary>
public static class SystemdUserUnit
{
    /// <summary>~/.config/systemd/user: the user manager's search path that needs no environment to find.</summary>
    public static string UnitDirectory(string userHome) => Path.Combine(userHome, ".config", "systemd", "user");

    public static string UnitPath(string userHome, string unitName) => Path.Combine(UnitDirectory(userHome), unitName);

    public static string Render(SyncthingServiceSpec spec)
    {
        var execStart = string.Join(' ', new[] { spec.SyncthingBinary }.Concat(spec.ServeArguments).Select(QuoteArgument));
        var text = new StringBuilder();
        text.Append("# Written by thopter-agent: `thopter-agent setup` rewrites it, `thopter-agent uninstall` removes it.\n");
        text.Append("[Unit]\n");
        text.Append("Description=SyncThing for thopter sync\n");
        text.Append("Documentation=man:syncthing(1)\n");
        // A devbox has no one to notice a unit stuck in "failed": allow more restarts than
        // SyncThing's stock unit (4 per minute) before systemd gives up.
        text.Append("StartLimitIntervalSec=60\n");
        text.Append("StartLimitBurst=10\n");
        text.Append('\n');
        text.Append("[Service]\n");
        if (spec.IdentityGuard is { } guard)
        {
            // A clone of this disk must not come up as this devbox: the agent checks the identity first, replaces it on
            // another instance, and fails the start (never the old identity) when it cannot.
            text.Append("ExecStartPre=").Append(string.Join(' ', new[] { guard }.Concat(spec.GuardArguments).Select(QuoteArgument))).Append('\n');
        }

        text.Append("ExecStart=").Append(execStart).Append('\n');
        foreach (var (key, value) in spec.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append("Environment=").Append(key).Append('=').Append(value).Append('\n');
        }

        // Exit codes 3 and 4 are SyncThing asking to be restarted (restart, upgrade): not failures.
        text.Append("Restart=on-failure\n");
        text.Append("RestartSec=1\n");
        text.Append("SuccessExitStatus=3 4\n");
        text.Append("RestartForceExitStatus=3 4\n");
        text.Append("SystemCallArchitectures=native\n");
        text.Append("MemoryDenyWriteExecute=true\n");
        text.Append("NoNewPrivileges=true\n");
        text.Append('\n');
        text.Append("[Install]\n");
        text.Append("WantedBy=default.target\n");
        return text.ToString();
    }

    /// <summary>Quotes one ExecStart/Environment word for systemd (see <see cref="UnitFileQuoting.Quote"/>).</summary>
    public static string QuoteArgument(string word) => UnitFileQuoting.Quote(word);
}
