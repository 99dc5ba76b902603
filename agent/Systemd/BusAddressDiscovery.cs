namespace Thopter.Agent.Systemd;

/// <summary>
/// Where the user's bus may be. Headless logins (ssh without PAM, docker exec, cron) often lack
/// DBUS_SESSION_BUS_ADDRESS and even XDG_RUNTIME_DIR, yet the user manager's bus is still at the
/// well-known per-uid path, so each candidate is tried in order.
/// </summary>
public static class BusAddressDiscovery
{
    public static IReadOnlyList<string> UserBusCandidates(Func<string, string?> environment, uint uid)
    {
        var candidates = new List<string>();
        var explicitAddress = environment("DBUS_SESSION_BUS_ADDRESS");
        if (!string.IsNullOrWhiteSpace(explicitAddress))
        {
            candidates.Add(explicitAddress.Trim());
        }

        var runtimeDir = environment("XDG_RUNTIME_DIR");
        if (!string.IsNullOrWhiteSpace(runtimeDir))
        {
            Add(candidates, $"unix:path={runtimeDir.TrimEnd('/')}/bus");
        }

        Add(candidates, $"unix:path=/run/user/{uid}/bus");
        return candidates;
    }

    private static void Add(List<string> candidates, string address)
    {
        if (!candidates.Contains(address, StringComparer.Ordinal))
        {
            candidates.Add(address);
        }
    }
}
