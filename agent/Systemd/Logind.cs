using Tmds.DBus.Protocol;

namespace Thopter.Agent.Systemd;

/// <summary>What became of lingering; <see cref="Problem"/> carries the reason and fix when it could not be turned on.</summary>
public sealed record LingerResult(string User, bool Lingering, bool Changed, string? Problem);

/// <summary>
/// Lingering keeps the user's systemd manager (and so SyncThing) running with nobody logged in,
/// which is the normal state of a devbox. logind records it as /var/lib/systemd/linger/USER.
/// </summary>
public sealed class Logind(string lingerDirectory = Logind.DefaultLingerDirectory)
{
    public const string DefaultLingerDirectory = "/var/lib/systemd/linger";

    public bool IsLingering(string user) => File.Exists(Path.Combine(lingerDirectory, user));

    /// <summary>
    /// Turns lingering on through org.freedesktop.login1.Manager.SetUserLinger on the system bus when it is off.
    /// Refusal (no polkit rule, not root) and a missing system bus or logind are reported, not thrown: the fallback
    /// supervisor still works.
    /// </summary>
    public async Task<LingerResult> EnsureLingeringAsync(
        string user, uint uid, Func<CancellationToken, Task<BusConnection>> openSystemBus, CancellationToken cancellationToken = default)
    {
        if (IsLingering(user))
        {
            return new LingerResult(user, Lingering: true, Changed: false, Problem: null);
        }

        var fix = $"run `loginctl enable-linger {user}` as root";
        try
        {
            using var bus = await openSystemBus(cancellationToken).ConfigureAwait(false);
            await bus.CallAsync(
                "org.freedesktop.login1",
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "SetUserLinger",
                "ubb",
                (ref MessageWriter w) =>
                {
                    w.WriteUInt32(uid);
                    w.WriteBool(true);
                    w.WriteBool(false); // not interactive: nobody is there to answer a polkit prompt
                },
                static (_, _) => true).ConfigureAwait(false);
            return new LingerResult(user, Lingering: true, Changed: true, Problem: null);
        }
        catch (DBusException error) when (error.IsPermissionError)
        {
            return new LingerResult(user, false, false, $"not allowed to enable lingering for {user} ({error.ErrorName}); {fix}");
        }
        catch (Exception error) when (error is DBusException or IOException)
        {
            return new LingerResult(user, false, false, $"could not enable lingering for {user}: {error.Message}; {fix}");
        }
    }
}
