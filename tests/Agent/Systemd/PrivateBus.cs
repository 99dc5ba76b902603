using System.Diagnostics;

namespace Thopter.Tests.Agent.Systemd;

/// <summary>A real dbus-daemon (the stock session config) on a private socket in a temp dir, so our D-Bus calls are tested against the real protocol.</summary>
public sealed class PrivateBus : IDisposable
{
    private readonly Process daemon;
    private readonly string directory;

    public PrivateBus()
    {
        directory = Directory.CreateTempSubdirectory("thopter-bus-").FullName;
        var socket = Path.Combine(directory, "bus");
        var start = new ProcessStartInfo("dbus-daemon") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--session", $"--address=unix:path={socket}", "--nofork", "--print-address" })
        {
            start.ArgumentList.Add(argument);
        }

        daemon = Process.Start(start) ?? throw new InvalidOperationException("dbus-daemon did not start");
        // It warns that it cannot raise its fd limit when not root-capable; harmless, so drained unseen.
        daemon.BeginErrorReadLine();
        // The daemon prints its address once it listens: that line is the readiness signal.
        var printed = daemon.StandardOutput.ReadLine() ?? throw new InvalidOperationException("dbus-daemon exited before listening");
        Address = printed.Split(',')[0];
    }

    public string Address { get; }

    public void Dispose()
    {
        daemon.Kill();
        daemon.WaitForExit();
        daemon.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
