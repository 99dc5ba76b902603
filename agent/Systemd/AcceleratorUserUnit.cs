using System.Text;

namespace Thopter.Agent.Systemd;

/// <summary>
/// The accelerator's user unit (`thopter-agent accelerate`), a pure rendering of a <see cref="SyncthingServiceSpec"/>.
/// It is bound to SyncThing's unit: started with it (WantedBy), after it, and stopped or restarted with it (PartOf).
/// </summary>
public static class AcceleratorUserUnit
{
    /// <exception cref="ArgumentException">The spec has no <see cref="SyncthingServiceSpec.AgentBinary"/>.</exception>
    public static string Render(SyncthingServiceSpec spec)
    {
        var agent = spec.AgentBinary ?? throw new ArgumentException("the spec has no agent binary: the accelerator is off", nameof(spec));
        var execStart = string.Join(' ', new[] { agent, "accelerate", $"--home={spec.HomeDirectory}" }.Select(SystemdUserUnit.QuoteArgument));
        var text = new StringBuilder();
        text.Append("# Written by thopter-agent: `thopter-agent setup` rewrites it, `thopter-agent uninstall` removes it.\n");
        text.Append("[Unit]\n");
        text.Append("Description=thopter sync accelerator (scans changed paths at once)\n");
        text.Append("After=").Append(spec.UnitName).Append('\n');
        text.Append("PartOf=").Append(spec.UnitName).Append('\n');
        text.Append("StartLimitIntervalSec=60\n");
        text.Append("StartLimitBurst=10\n");
        text.Append('\n');
        text.Append("[Service]\n");
        // Active only once it watches the folders and SyncThing's API answered (READY=1 through sd_notify).
        text.Append("Type=notify\n");
        text.Append("ExecStart=").Append(execStart).Append('\n');
        // It reads config.xml itself and waits out a SyncThing restart, so only a crash needs systemd.
        text.Append("Restart=on-failure\n");
        text.Append("RestartSec=1\n");
        text.Append("SystemCallArchitectures=native\n");
        text.Append("NoNewPrivileges=true\n");
        text.Append('\n');
        text.Append("[Install]\n");
        text.Append("WantedBy=").Append(spec.UnitName).Append('\n');
        return text.ToString();
    }
}
