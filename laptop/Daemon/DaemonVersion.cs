using System.Reflection;

namespace Thopter.Laptop.Daemon;

/// <summary>The version the CLI and the daemon compare: a CLI meeting an older daemon restarts it.</summary>
public static class DaemonVersion
{
    public static string Current { get; } = Read();

    /// <summary>Negative when <paramref name="daemon"/> is older than <paramref name="cli"/>, 0 when equal, positive when newer.</summary>
    public static int Compare(string daemon, string cli)
    {
        if (daemon == cli)
        {
            return 0;
        }

        // A version that does not parse (a hand-built daemon) counts as older, so it gets replaced.
        return Version.TryParse(Numeric(daemon), out var d) && Version.TryParse(Numeric(cli), out var c) ? d.CompareTo(c) : -1;
    }

    private static string Numeric(string version)
    {
        var end = version.IndexOfAny(['-', '+']);
        return end < 0 ? version : version[..end];
    }

    private static string Read()
    {
        var informational = typeof(DaemonVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
